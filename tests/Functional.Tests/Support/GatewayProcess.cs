using System.Net;
using System.Text.RegularExpressions;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// A real gateway process (<c>dotnet Chat.Gateway.dll ...</c>) on loopback port 0 with TLS (the test
/// certificate) unless told otherwise; its client and admin addresses are read from its startup log
/// lines, and it counts as started once it logged "ready" (listening and registered). Killed
/// (SIGKILL) on dispose unless it exited.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;

    private GatewayProcess(ChildProcess process, string gatewayId)
    {
        _process = process;
        GatewayId = gatewayId;
    }

    public string GatewayId { get; }

    public int Pid => _process.Pid;

    /// <summary>Where clients connect.</summary>
    public IPEndPoint Clients => IPEndPoint.Parse(_process.Captured("clients").Result);

    public Uri Admin => new(_process.Captured("admin").Result);

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>Starts a gateway and waits until it is registered and ready.</summary>
    public static async Task<GatewayProcess> StartAsync(GatewaySettings settings, params string[] extraArgs)
    {
        var child = ChildProcess.Start(RepoPaths.GatewayDll, settings.Arguments(extraArgs), "gateway " + settings.GatewayId, new Dictionary<string, Regex>
        {
            ["clients"] = ClientsLine(),
            ["admin"] = ShardProcess.AdminLine(),
            ["ready"] = ReadyLine(),
        });
        var gateway = new GatewayProcess(child, settings.GatewayId);
        try
        {
            await child.WaitForCapturesAsync(StartTimeout);
        }
        catch (InvalidOperationException)
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>Runs the gateway with <paramref name="args"/> and returns its exit code and standard error.</summary>
    public static Task<(int ExitCode, string Errors)> RunToExitAsync(string[] args, TimeSpan timeout) =>
        ChildProcess.RunToExitAsync(RepoPaths.GatewayDll, args, timeout);

    /// <summary>Sends SIGTERM: the gateway drains (GoAway to its clients) and exits 0.</summary>
    public void Terminate() => _process.Signal("TERM");

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public Task WaitForOutputAsync(string pattern, TimeSpan timeout) => _process.WaitForOutputAsync(pattern, timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"Client listener on (\S+) \(")]
    private static partial Regex ClientsLine();

    [GeneratedRegex(@"Gateway \S+ ready: clients on")]
    private static partial Regex ReadyLine();
}
