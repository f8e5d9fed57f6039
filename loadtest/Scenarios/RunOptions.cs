namespace Chat.LoadTest.Scenarios;

/// <summary>Everything a scenario run is told on the command line (defaults are the documented ones).</summary>
internal sealed record RunOptions
{
    public ScenarioKind Scenario { get; init; }

    public required string ZooKeeper { get; init; }

    public required string Redis { get; init; }

    /// <summary>scripts/lib/servers.sh's run directory (kill-zk-leader, restart-redis need it).</summary>
    public string? ServersDir { get; init; }

    /// <summary>Where keys, logs and the reports go. Null: &lt;repo&gt;/.run/loadtest/&lt;scenario&gt;-&lt;time&gt;.</summary>
    public string? RunDir { get; init; }

    public int Couples { get; init; } = 1000;

    public int DevicesPerUser { get; init; } = 1;

    /// <summary>Messages per second over all couples. Null: one per couple per second.</summary>
    public double? Rate { get; init; }

    public double DurationSeconds { get; init; } = 30;

    public int MessageBytes { get; init; } = 100;

    public int Shards { get; init; } = 3;

    public int Gateways { get; init; } = 2;

    public bool Tls { get; init; } = true;

    /// <summary>Worker processes; 0 = one per 15,000 connections.</summary>
    public int Workers { get; init; }

    public int SourceAddresses { get; init; } = 32;

    public int ConnectConcurrency { get; init; } = 100;

    /// <summary>idle: connections per gateway; storm: connections in total.</summary>
    public int Connections { get; init; }

    /// <summary>chat: also run the load through HAProxy and straight to the shards, and compare.</summary>
    public bool Compare { get; init; }

    /// <summary>When the chaos action happens, as a fraction of the duration after sending started.</summary>
    public double ActionAt { get; init; } = 1.0 / 3;

    /// <summary>idle and storm turn the gateways' handshake budget off unless this is set.</summary>
    public bool KeepHandshakeBudget { get; init; }

    public int EventLoops { get; init; } = 1;

    public int Seed { get; init; } = 1;

    public IReadOnlyList<string> GatewayArgs { get; init; } = [];

    public IReadOnlyList<string> ShardArgs { get; init; } = [];

    public double EffectiveRate => Rate ?? Couples;

    /// <summary>Connections one worker process holds at most (the open-file cap is about 20,000 here).</summary>
    public const int ConnectionsPerWorker = 15_000;

    /// <summary>One line saying what is wrong, or null.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ZooKeeper) || string.IsNullOrWhiteSpace(Redis))
        {
            return "--zk and --redis are required (scripts/loadtest.sh starts both and passes them)";
        }

        if (Couples is < 1 or > 1_000_000)
        {
            return $"--couples must be 1..1000000, not {Couples}";
        }

        if (DevicesPerUser is < 1 or > 16)
        {
            return $"--devices must be 1..16, not {DevicesPerUser}";
        }

        if (Rate is < 0 or > 1_000_000)
        {
            return $"--rate must be 0..1000000, not {Rate}";
        }

        if (DurationSeconds is <= 0 or > 3600)
        {
            return $"--duration must be above 0 and at most 3600 s, not {DurationSeconds}";
        }

        if (MessageBytes is < 16 or > 60_000)
        {
            return $"--message-bytes must be 16..60000, not {MessageBytes}";
        }

        if (Shards is < 1 or > 32 || Gateways is < 0 or > 16)
        {
            return "--shards must be 1..32 and --gateways 0..16";
        }

        if (Gateways == 0 && Scenario is ScenarioKind.DrainGateway or ScenarioKind.Idle or ScenarioKind.Storm)
        {
            return $"{Scenario} needs at least one gateway";
        }

        if (Scenario == ScenarioKind.DrainGateway && Gateways < 2)
        {
            return "drain-gateway needs --gateways 2 or more (clients move to the others)";
        }

        if (Scenario is ScenarioKind.KillZkLeader or ScenarioKind.RestartRedis && string.IsNullOrEmpty(ServersDir))
        {
            return $"{Scenario} needs --servers-dir (the run directory of scripts/lib/servers.sh)";
        }

        if (Scenario == ScenarioKind.ScaleIn && Shards < 2)
        {
            return "scale-in needs --shards 2 or more";
        }

        if (Workers is < 0 or > 16 || SourceAddresses is < 0 or > 250 || ConnectConcurrency is < 1 or > 10_000)
        {
            return "--workers must be 0..16, --source-addresses 0..250, --connect-concurrency 1..10000";
        }

        return ActionAt is <= 0 or >= 1 ? $"--action-at must be between 0 and 1, not {ActionAt}" : null;
    }
}
