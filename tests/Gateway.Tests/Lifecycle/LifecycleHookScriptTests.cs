using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chat.Hosting.Lifecycle;
using Chat.Tests.Gateway.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Gateway.Lifecycle;

/// <summary>
/// deploy/lifecycle-hook.sh run by bash against a real admin host (Chat.Hosting, Kestrel on a
/// loopback port) whose drain procedure finishes after a few progress polls.
/// </summary>
public sealed class LifecycleHookScriptTests
{
    private static readonly string Script = Path.Combine(RepositoryRoot.Path, "deploy", "lifecycle-hook.sh");

    [Fact]
    public async Task Dry_run_drains_polls_progress_heartbeats_and_prints_the_completion_instead_of_running_it()
    {
        var drain = new CountingDrain(finishAfterPolls: 3);
        await using var host = await AdminHost.StartAsync(s => s.AddSingleton<IDrainProcedure>(drain));
        var marker = Path.Combine(Path.GetTempPath(), $"hook-{Guid.NewGuid():N}");

        var result = await RunAsync(
            "--admin-url", host.Address.ToString().TrimEnd('/'), "--poll", "0.1", "--heartbeat", "0", "--timeout", "60",
            "--complete-command", $"touch {marker}", "--heartbeat-command", "echo beat", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(drain.Started, "POST /admin/drain reached the procedure");
        Assert.Contains("phase draining, remaining 3", result.Output, StringComparison.Ordinal);
        Assert.Contains("dry run: would run heartbeat: echo beat", result.Output, StringComparison.Ordinal);
        Assert.Contains($"dry run: would run complete: touch {marker}", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "a dry run runs no lifecycle command");
        Assert.Equal(0, await host.Stopped.DefaultTimeout());
    }

    [Fact]
    public async Task Runs_the_complete_command_once_the_drain_is_over()
    {
        var drain = new CountingDrain(finishAfterPolls: 1);
        await using var host = await AdminHost.StartAsync(s => s.AddSingleton<IDrainProcedure>(drain));
        var marker = Path.Combine(Path.GetTempPath(), $"hook-{Guid.NewGuid():N}");
        try
        {
            var result = await RunAsync("--admin-url", host.Address.ToString(), "--poll", "0.1", "--complete-command", $"touch {marker}");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.True(File.Exists(marker), result.Output);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task Works_without_curl_over_bash_dev_tcp()
    {
        var drain = new CountingDrain(finishAfterPolls: 2);
        await using var host = await AdminHost.StartAsync(s => s.AddSingleton<IDrainProcedure>(drain));
        var bin = Directory.CreateTempSubdirectory("hook-bin-");
        try
        {
            // A PATH with the few tools the script needs, and no curl.
            foreach (var tool in new[] { "bash", "sed", "head", "tail", "date", "timeout", "cat", "sleep" })
            {
                var found = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);
                File.CreateSymbolicLink(Path.Combine(bin.FullName, tool), found);
            }

            var result = await RunAsync(new Dictionary<string, string> { ["PATH"] = bin.FullName }, "--admin-url", host.Address.ToString(), "--poll", "0.1", "--dry-run");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.True(drain.Started, result.Output);
            Assert.Contains("phase draining, remaining 3", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Times_out_and_completes_anyway_with_exit_code_3()
    {
        var drain = new CountingDrain(finishAfterPolls: int.MaxValue);
        await using var host = await AdminHost.StartAsync(s => s.AddSingleton<IDrainProcedure>(drain));
        var result = await RunAsync("--admin-url", host.Address.ToString(), "--poll", "0.2", "--timeout", "1", "--complete-command", "echo done", "--dry-run");
        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Contains("timed out", result.Output, StringComparison.Ordinal);
        Assert.Contains("would run complete: echo done", result.Output, StringComparison.Ordinal);
        drain.Finish();
    }

    [Fact]
    public async Task A_process_that_is_not_running_has_nothing_to_drain()
    {
        var result = await RunAsync("--admin-url", $"http://127.0.0.1:{ClosedPort()}", "--complete-command", "echo done", "--dry-run");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("nothing to drain", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Builds_the_AWS_CLI_commands_without_needing_the_CLI()
    {
        var result = await RunAsync(
            "--admin-url", $"http://127.0.0.1:{ClosedPort()}", "--aws-asg", "chat-gateways", "--aws-hook", "drain-hook", "--aws-instance", "i-0123", "--dry-run");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(
            "would run complete: aws autoscaling complete-lifecycle-action --lifecycle-hook-name drain-hook --auto-scaling-group-name chat-gateways --instance-id i-0123 --lifecycle-action-result CONTINUE",
            result.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_usage_is_exit_code_2()
    {
        Assert.Equal(2, (await RunAsync("--admin-url", "ftp://nope")).ExitCode);
        Assert.Equal(2, (await RunAsync("--no-such-flag")).ExitCode);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout();
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A drain with 3 connections left that ends after its progress was read a given number of times.</summary>
    private sealed class CountingDrain(int finishAfterPolls) : IDrainProcedure
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _polls;

        public bool Started { get; private set; }

        public DrainProgress Progress
        {
            get
            {
                if (Started && Interlocked.Increment(ref _polls) > finishAfterPolls)
                {
                    _finished.TrySetResult();
                }

                return new DrainProgress(_finished.Task.IsCompleted ? 0 : 3, "waiting");
            }
        }

        public void Finish() => _finished.TrySetResult();

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Started = true;
            await _finished.Task.WaitAsync(cancellationToken);
        }
    }
}
