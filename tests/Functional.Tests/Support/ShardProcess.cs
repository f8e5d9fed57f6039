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

    private readonly ChildProcess _process;

    private ShardProcess(ChildProcess process, string shardId)
    {
        _process = process;
        ShardId = shardId;
    }

    public string ShardId { get; }

    public int Pid => _process.Pid;

    public IPEndPoint Direct => IPEndPoint.Parse(_process.Captured("direct").Result);

    /// <summary>Where gateways' mux connections arrive (the port published in ZooKeeper).</summary>
    public IPEndPoint Mux => IPEndPoint.Parse(_process.Captured("mux").Result);

    public Uri Admin => new(_process.Captured("admin").Result);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far (for assertion messages).</summary>
    public string Output => _process.Output;

    /// <summary>Starts a shard and waits until it listens and is in the ring.</summary>
    public static async Task<ShardProcess> StartAsync(ShardSettings settings, params string[] extraArgs)
    {
        var shard = new ShardProcess(Launch(settings.Arguments(extraArgs), settings.ShardId), settings.ShardId);
        try
        {
            await shard._process.WaitForCapturesAsync(StartTimeout);
        }
        catch (InvalidOperationException)
        {
            await shard.DisposeAsync();
            throw;
        }

        return shard;
    }

    /// <summary>Runs the shard with <paramref name="args"/> and returns its exit code and standard error (for bad-configuration tests).</summary>
    public static Task<(int ExitCode, string Errors)> RunToExitAsync(string[] args, TimeSpan timeout) =>
        ChildProcess.RunToExitAsync(RepoPaths.ChatServiceDll, args, timeout);

    /// <summary>Sends SIGTERM (a systemd stop): the shard drains and exits.</summary>
    public void Terminate() => _process.Signal("TERM");

    /// <summary>Sends SIGKILL (a crash: no drain, no goodbye to ZooKeeper).</summary>
    public void Kill() => _process.Signal("KILL");

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Waits until a line matching <paramref name="pattern"/> was printed.</summary>
    public Task WaitForOutputAsync(string pattern, TimeSpan timeout) => _process.WaitForOutputAsync(pattern, timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static ChildProcess Launch(IEnumerable<string> args, string shardId) =>
        ChildProcess.Start(RepoPaths.ChatServiceDll, args, "shard " + shardId, new Dictionary<string, Regex>
        {
            ["direct"] = DirectLine(),
            ["mux"] = MuxLine(),
            ["admin"] = AdminLine(),
            ["ready"] = ReadyLine(),
        });

    [GeneratedRegex(@"listening for direct connections on (\S+)")]
    private static partial Regex DirectLine();

    [GeneratedRegex(@"listening for mux connections on (\S+)")]
    private static partial Regex MuxLine();

    [GeneratedRegex(@"Admin endpoint listening on (\S+)")]
    internal static partial Regex AdminLine();

    [GeneratedRegex(@"ready: registered and in the ring")]
    private static partial Regex ReadyLine();
}
