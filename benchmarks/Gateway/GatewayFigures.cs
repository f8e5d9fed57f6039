namespace Chat.Benchmarks.Gateway;

/// <summary>
/// The gateway figures of issue 5 item 10, each measured the same way against the gateway and
/// against HAProxy (scripts/bench-gateway.sh starts both and runs these): <c>gateway-idle</c>,
/// <c>gateway-handshakes</c>, <c>gateway-relay</c>. Figures are printed as <c>RESULT key=value ...</c> lines.
/// </summary>
internal static class GatewayFigures
{
    public static Task<int> RunAsync(string[] args) => args[0] switch
    {
        "gateway-idle" => IdleCommand.RunAsync(args),
        IdleCommand.ChildMode => IdleCommand.RunChildAsync(args),
        "gateway-handshakes" => HandshakeCommand.RunAsync(args),
        "gateway-relay" => RelayCommand.RunAsync(args),
        _ => UnknownAsync(args[0]),
    };

    private static async Task<int> UnknownAsync(string mode)
    {
        await Console.Error.WriteLineAsync($"unknown mode '{mode}': gateway-idle, gateway-handshakes, gateway-relay");
        return 2;
    }
}
