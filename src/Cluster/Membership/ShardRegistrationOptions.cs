namespace Chat.Cluster.Membership;

/// <summary>How a shard announces itself; checked by <see cref="ShardRegistrationOptionsValidator"/>.</summary>
public sealed class ShardRegistrationOptions
{
    /// <summary>Root of the layout in ZooKeeper (after any chroot). Default "/chat".</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>The shard's id, 1-64 characters of [A-Za-z0-9_.-], unique in the cluster. Required.</summary>
    public string ShardId { get; set; } = string.Empty;

    /// <summary>Host name or address gateways reach the shard at. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Port of the multiplexed gateway connections. Required.</summary>
    public int MuxPort { get; set; }

    /// <summary>Port for direct client connections, if open. Default none.</summary>
    public int? DirectPort { get; set; }

    /// <summary>Port of the admin HTTP endpoint, if open. Default none.</summary>
    public int? AdminPort { get; set; }

    /// <summary>
    /// Ring weight, 1-10,000 (100 = normal): the shard's share of couples is proportional to it.
    /// Default 100.
    /// </summary>
    public int Weight { get; set; } = Routing.RingMember.NormalWeight;

    /// <summary>
    /// Pause before retrying after ZooKeeper was unavailable or the node belonged to another
    /// session. Default 1 s. Shorter retries load ZooKeeper; longer delays a shard's return.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
