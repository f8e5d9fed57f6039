using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (BenchmarkDotNet switcher), e.g.
//   dotnet run -c Release --project benchmarks -- --filter '*FrameCodec*'
// Console figures that do not fit BenchmarkDotNet (a server in a child process, memory per idle
// connection): `tls-idle`, `tls-handshakes`, see benchmarks/Tls/TlsFigures.cs.
if (args.Length > 0 && args[0].StartsWith("tls-", StringComparison.Ordinal))
{
    return await Chat.Benchmarks.Tls.TlsFigures.RunAsync(args);
}

// `shard-load`: chat messages/s per shard core over direct TCP against a running shard, see
// benchmarks/ShardLoad/ShardLoadCommand.cs and docs/chat-service.md.
if (args.Length > 0 && args[0] == "shard-load")
{
    return await Chat.Benchmarks.ShardLoad.ShardLoadCommand.RunAsync(args);
}

// `gateway-idle`, `gateway-handshakes`, `gateway-relay`: the gateway beside HAProxy, see
// benchmarks/Gateway/GatewayFigures.cs and scripts/bench-gateway.sh.
if (args.Length > 0 && args[0].StartsWith("gateway-", StringComparison.Ordinal))
{
    return await Chat.Benchmarks.Gateway.GatewayFigures.RunAsync(args);
}

// GetExecutingAssembly, not typeof(Program): the referenced servers (internals visible) have a Program too.
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
