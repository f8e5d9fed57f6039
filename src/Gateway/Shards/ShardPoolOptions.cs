namespace Chat.Gateway.Shards;

/// <summary>The mux connections to shards (configuration section <c>Shards</c>).</summary>
public sealed class ShardPoolOptions
{
    public const string SectionName = "Shards";

    /// <summary>
    /// Mux connections kept to each shard. Default 2: a lost connection re-homes only half of a
    /// shard's streams, and two TCP streams spread the load over two socket buffers. More costs a
    /// socket and a ping per shard each.
    /// </summary>
    public int ConnectionsPerShard { get; set; } = 2;

    /// <summary>First reconnect delay after a failed connect to a shard; doubles per failure. Default 100 ms.</summary>
    public TimeSpan ReconnectBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest reconnect delay. Default 5 s.</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long clients of a shard that is unreachable but still in the ring wait (held, their TLS
    /// connection open) before the gateway closes them so they reconnect. Default 30 s. Longer rides
    /// out a shard restart; shorter frees the clients sooner when a shard hangs without its ZooKeeper
    /// session expiring.
    /// </summary>
    public TimeSpan UnreachableGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (ConnectionsPerShard is < 1 or > 64)
        {
            errors.Add($"Shards:ConnectionsPerShard must be 1-64, not {ConnectionsPerShard}");
        }

        if (ReconnectBackoff <= TimeSpan.Zero || ReconnectBackoffMax < ReconnectBackoff)
        {
            errors.Add("Shards:ReconnectBackoff must be positive and at most Shards:ReconnectBackoffMax");
        }

        if (UnreachableGrace < TimeSpan.Zero)
        {
            errors.Add("Shards:UnreachableGrace must not be negative");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
