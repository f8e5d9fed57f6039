using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// A real shard process (<c>dotnet Chat.ChatService.dll ...</c>) on loopback port 0; its bound
/// ports are read from its startup log lines. Killed (SIGKILL) on dispose unless it exited.
/// </summary>
internal sealed partial class ShardProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource<IPEndPoint> _direct = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IPEndPoint> _mux = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Uri> _admin = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ShardProcess(Process process, string shardId)
    {
        _process = process;
        ShardId = shardId;
    }

    public string ShardId { get; }

    public int Pid => _process.Id;

    public IPEndPoint Direct => _direct.Task.Result;

    /// <summary>Where gateways' mux connections arrive (the port published in ZooKeeper).</summary>
    public IPEndPoint Mux => _mux.Task.Result;

    public Uri Admin => _admin.Task.Result;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far (for assertion messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts a shard and waits until it listens and is in the ring.</summary>
    public static async Task<ShardProcess> StartAsync(ShardSettings settings, params string[] extraArgs)
    {
        var shard = Launch(settings.Arguments(extraArgs), settings.ShardId);
        try
        {
            await Task.WhenAll(shard._direct.Task, shard._mux.Task, shard._admin.Task, shard._ready.Task).WaitAsync(StartTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await shard.DisposeAsync();
            throw new InvalidOperationException($"shard {settings.ShardId} did not start: {ex.Message}\n{shard.Output}", ex);
        }

        return shard;
    }

    /// <summary>Runs the shard with <paramref name="args"/> and returns its exit code and standard error (for bad-configuration tests).</summary>
    public static async Task<(int ExitCode, string Errors)> RunToExitAsync(string[] args, TimeSpan timeout)
    {
        await using var shard = Launch(args, "?");
        using var cts = new CancellationTokenSource(timeout);
        await shard._process.WaitForExitAsync(cts.Token);
        // Let the asynchronous readers hand over the last lines.
        shard._process.WaitForExit();
        return (shard._process.ExitCode, string.Join('\n', shard._errors));
    }

    /// <summary>Sends SIGTERM (a systemd stop): the shard drains and exits.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(10_000);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until a line matching <paramref name="pattern"/> was printed.</summary>
    public async Task WaitForOutputAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = Stopwatch.StartNew();
        while (!_output.Any(regex.IsMatch))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"no line matching '{pattern}' within {timeout}:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }

        _process.Dispose();
    }

    private static ShardProcess Launch(IEnumerable<string> args, string shardId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.ChatServiceDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var shard = new ShardProcess(process, shardId);
        process.OutputDataReceived += (_, e) => shard.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                shard._errors.Enqueue(e.Data);
            }

            shard.OnLine(e.Data);
        };
        process.Exited += (_, _) =>
        {
            var error = new InvalidOperationException("the shard process exited");
            shard._direct.TrySetException(error);
            shard._mux.TrySetException(error);
            shard._admin.TrySetException(error);
            shard._ready.TrySetException(error);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return shard;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (DirectLine().Match(line) is { Success: true } direct)
        {
            _direct.TrySetResult(IPEndPoint.Parse(direct.Groups[1].Value));
        }
        else if (MuxLine().Match(line) is { Success: true } mux)
        {
            _mux.TrySetResult(IPEndPoint.Parse(mux.Groups[1].Value));
        }
        else if (AdminLine().Match(line) is { Success: true } admin)
        {
            _admin.TrySetResult(new Uri(admin.Groups[1].Value));
        }
        else if (ReadyLine().IsMatch(line))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"listening for direct connections on (\S+)")]
    private static partial Regex DirectLine();

    [GeneratedRegex(@"listening for mux connections on (\S+)")]
    private static partial Regex MuxLine();

    [GeneratedRegex(@"Admin endpoint listening on (\S+)")]
    private static partial Regex AdminLine();

    [GeneratedRegex(@"ready: registered and in the ring")]
    private static partial Regex ReadyLine();
}
