using System.CommandLine;
using Chat.LoadTest.Load;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// The command line: <c>loadtest &lt;scenario&gt; [options]</c>, one subcommand per scenario with the same
/// options, and the hidden <c>worker</c> command the harness runs in its worker processes. Bad input
/// is one line on stderr and exit code 2.
/// </summary>
internal static class CommandLine
{
    public static int Run(string[] args)
    {
        var root = Build();
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            Console.Error.WriteLine($"loadtest: {string.Join(' ', result.Errors.Select(e => e.Message).Distinct())} (see --help)");
            return 2;
        }

        return result.Invoke();
    }

    internal static RootCommand Build()
    {
        var root = new RootCommand("Load and chaos harness for the chat gateway tier (docs/loadtest.md)");
        foreach (var kind in ScenarioNames.All)
        {
            root.Subcommands.Add(ScenarioCommand(kind));
        }

        var spec = new Option<string>("--spec") { Required = true };
        var output = new Option<string>("--out") { Required = true };
        var worker = new Command("worker", "Internal: run one slice of a load (started by the harness)") { spec, output };
        worker.Hidden = true;
        worker.SetAction((result, ct) => WorkerPool.RunWorkerAsync(result.GetValue(spec)!, result.GetValue(output)!, ct));
        root.Subcommands.Add(worker);
        return root;
    }

    private static Command ScenarioCommand(ScenarioKind kind)
    {
        var zk = new Option<string>("--zk") { Description = "ZooKeeper connect string (an ensemble for kill-zk-leader); default $CHAT_ZK", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHAT_ZK") ?? string.Empty };
        var redis = new Option<string>("--redis") { Description = "Redis host:port; default $CHAT_REDIS", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHAT_REDIS") ?? string.Empty };
        var servers = new Option<string?>("--servers-dir") { Description = "Run directory of scripts/lib/servers.sh (kill-zk-leader, restart-redis); default $CHAT_SERVERS_DIR", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHAT_SERVERS_DIR") };
        var runDir = new Option<string?>("--run-dir") { Description = "Where keys, logs and reports go; default .run/loadtest/<scenario>-<time>" };
        var couples = new Option<int>("--couples") { Description = "Couples (two users each)", DefaultValueFactory = _ => 1000 };
        var devices = new Option<int>("--devices") { Description = "Devices (connections) per user", DefaultValueFactory = _ => 1 };
        var rate = new Option<double?>("--rate") { Description = "Messages per second over all couples; default one per couple per second" };
        var duration = new Option<double>("--duration") { Description = "Seconds of load (idle: of holding)", DefaultValueFactory = _ => 30 };
        var messageBytes = new Option<int>("--message-bytes") { Description = "Message body size", DefaultValueFactory = _ => 100 };
        var shards = new Option<int>("--shards") { Description = "Shard processes at the start", DefaultValueFactory = _ => 3 };
        var gateways = new Option<int>("--gateways") { Description = "Gateway processes (0: clients go straight to the owning shards)", DefaultValueFactory = _ => 2 };
        var tls = new Option<bool>("--tls") { Description = "Gateways speak TLS", DefaultValueFactory = _ => true };
        var workers = new Option<int>("--workers") { Description = "Worker processes; 0 = one per 15,000 connections", DefaultValueFactory = _ => 0 };
        var sources = new Option<int>("--source-addresses") { Description = "Spread client source addresses over 127.0.0.2..(1+n); 0 = system", DefaultValueFactory = _ => 32 };
        var concurrency = new Option<int>("--connect-concurrency") { Description = "Connection attempts in flight at once", DefaultValueFactory = _ => 100 };
        var connections = new Option<int>("--connections") { Description = "idle: connections per gateway (10,000); storm: in total (5,000)", DefaultValueFactory = _ => 0 };
        var compare = new Option<bool>("--compare") { Description = "chat: the same load via our gateways, via HAProxy, and direct; one table of ratios" };
        var actionAt = new Option<double>("--action-at") { Description = "When the chaos action happens, as a fraction of the duration", DefaultValueFactory = _ => 1.0 / 3 };
        var budget = new Option<bool>("--keep-handshake-budget") { Description = "idle/storm: keep the gateways' handshake rate limit (off by default there)" };
        var loops = new Option<int>("--event-loops") { Description = "DotNetty event loops per server process", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the clients' backoff randomness", DefaultValueFactory = _ => 1 };
        var gatewayArgs = new Option<string[]>("--gateway-arg") { Description = "Extra gateway argument (repeat; e.g. --gateway-arg=--Limits:MaxConnections --gateway-arg=50000)", AllowMultipleArgumentsPerToken = false };
        var shardArgs = new Option<string[]>("--shard-arg") { Description = "Extra shard argument (repeat)", AllowMultipleArgumentsPerToken = false };

        var command = new Command(ScenarioNames.Of(kind), Describe(kind))
        {
            zk, redis, servers, runDir, couples, devices, rate, duration, messageBytes, shards, gateways, tls, workers, sources,
            concurrency, connections, actionAt, budget, loops, seed, gatewayArgs, shardArgs,
        };
        if (kind == ScenarioKind.Chat)
        {
            command.Options.Add(compare);
        }

        command.SetAction(async (result, ct) =>
        {
            var options = new RunOptions
            {
                Scenario = kind,
                ZooKeeper = result.GetValue(zk)!,
                Redis = result.GetValue(redis)!,
                ServersDir = result.GetValue(servers),
                RunDir = result.GetValue(runDir),
                Couples = result.GetValue(couples),
                DevicesPerUser = result.GetValue(devices),
                Rate = result.GetValue(rate),
                DurationSeconds = result.GetValue(duration),
                MessageBytes = result.GetValue(messageBytes),
                Shards = result.GetValue(shards),
                Gateways = result.GetValue(gateways),
                Tls = result.GetValue(tls),
                Workers = result.GetValue(workers),
                SourceAddresses = result.GetValue(sources),
                ConnectConcurrency = result.GetValue(concurrency),
                Connections = result.GetValue(connections),
                Compare = kind == ScenarioKind.Chat && result.GetValue(compare),
                ActionAt = result.GetValue(actionAt),
                KeepHandshakeBudget = result.GetValue(budget),
                EventLoops = result.GetValue(loops),
                Seed = result.GetValue(seed),
                GatewayArgs = result.GetValue(gatewayArgs) ?? [],
                ShardArgs = result.GetValue(shardArgs) ?? [],
            };
            if (options.Validate() is { } problem)
            {
                Console.Error.WriteLine("loadtest: " + problem);
                return 2;
            }

            return await new ScenarioRunner(options, Console.Out).RunAsync(ct);
        });
        return command;
    }

    private static string Describe(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Chat => "Couples chatting at a paced rate; --compare adds HAProxy and direct paths",
        ScenarioKind.Idle => "Hold N idle connections per gateway and report gateway RSS per connection",
        ScenarioKind.Storm => "Connect N as fast as possible, with full and with resumed TLS handshakes",
        ScenarioKind.ScaleOut => "chat, and a shard joins mid-run (goal: 0 client reconnects)",
        ScenarioKind.ScaleIn => "chat, and a shard drains mid-run (goal: 0 client reconnects)",
        ScenarioKind.KillShard => "chat, and a shard is SIGKILLed mid-run",
        ScenarioKind.DrainGateway => "chat, and a gateway drains mid-run (GoAway)",
        ScenarioKind.KillZkLeader => "chat, and the ZooKeeper leader is SIGKILLed mid-run (then restarted)",
        ScenarioKind.RestartRedis => "chat, and Redis is SIGKILLed and restarted mid-run",
        _ => kind.ToString(),
    };
}
