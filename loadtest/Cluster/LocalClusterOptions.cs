namespace Chat.LoadTest.Cluster;

/// <summary>How the harness starts its local cluster of shard and gateway processes.</summary>
internal sealed record LocalClusterOptions
{
    /// <summary>ZooKeeper connect string. Required.</summary>
    public required string ZooKeeper { get; init; }

    /// <summary>Redis configuration string. Required.</summary>
    public required string Redis { get; init; }

    /// <summary>The run directory: keys, certificate, server logs. Required.</summary>
    public required string RunDir { get; init; }

    /// <summary>Membership root in ZooKeeper; one per run, so runs never see each other's shards.</summary>
    public required string ZooKeeperRoot { get; init; }

    /// <summary>Shards started at the beginning. Default 3.</summary>
    public int Shards { get; init; } = 3;

    /// <summary>Gateways started at the beginning. Default 2. Zero runs clients straight to the shards.</summary>
    public int Gateways { get; init; } = 2;

    /// <summary>Gateways speak TLS (the dev certificate). Default true.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>
    /// ZooKeeper session timeout of every server. Default 2 s: a killed shard leaves the ring within
    /// about that, which is what the kill-shard scenario measures. Production uses more.
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>DotNetty event loops per server process. Default 1: the machine has 2 cores shared by everything.</summary>
    public int EventLoops { get; init; } = 1;

    /// <summary>Extra command-line arguments for every gateway (e.g. <c>--Limits:FullHandshakesPerSecond 0</c>).</summary>
    public IReadOnlyList<string> GatewayArgs { get; init; } = [];

    /// <summary>Extra command-line arguments for every shard.</summary>
    public IReadOnlyList<string> ShardArgs { get; init; } = [];

    /// <summary>How long a process may take to start. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
