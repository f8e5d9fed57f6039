namespace Chat.Cluster.Routing;

/// <summary>
/// A shard as the ring sees it. <see cref="ShardId"/>: 1-64 characters of [A-Za-z0-9_.-].
/// <see cref="Weight"/>: <see cref="MinWeight"/>..<see cref="MaxWeight"/>, <see cref="NormalWeight"/> = normal.
/// </summary>
/// <remarks>
/// Only <see cref="ShardId"/> and <see cref="Weight"/> decide which couples the shard owns;
/// <see cref="Host"/> and <see cref="MuxPort"/> say where to reach it and may change without moving anyone.
/// Validated when a <see cref="RingSnapshot"/> is built, not here, so that membership code can read any
/// ZooKeeper data into a member and get one clear error for the whole set.
/// </remarks>
public sealed record RingMember(string ShardId, string Host, int MuxPort, int Weight)
{
    /// <summary>The weight of an ordinary shard: 1,000 points on the ring.</summary>
    public const int NormalWeight = 100;

    /// <summary>Smallest weight: 20 points, about 1% of a normal shard's share.</summary>
    public const int MinWeight = 1;

    /// <summary>Largest weight: 100 times a normal shard (200,000 points).</summary>
    public const int MaxWeight = 10_000;

    /// <summary>Longest shard id, in characters (all ASCII).</summary>
    public const int MaxShardIdLength = 64;
}
