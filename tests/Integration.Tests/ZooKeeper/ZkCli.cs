using System.Diagnostics;
using Chat.Tests.Shared;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Runs the ZooKeeper command-line client of the Debian package (ZooKeeperMain) once per command.</summary>
internal static class ZkCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string connectString, params string[] command)
    {
        var start = new ProcessStartInfo(TestServers.ZkCli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(connectString);
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("zkcli did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs a command that must succeed and returns its output lines.</summary>
    public static async Task<string[]> OkAsync(string connectString, params string[] command)
    {
        var (exitCode, output) = await RunAsync(connectString, command);
        Assert.True(exitCode == 0, $"zkcli {string.Join(' ', command)} exited {exitCode}: {output}");
        return output.Split('\n', StringSplitOptions.TrimEntries);
    }
}
