using System.Collections.Immutable;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// A node's children (names, not paths, in the server's order) and its metadata from the same
/// getChildren2 reply, so <see cref="ZooKeeperStat.Cversion"/> matches exactly this set.
/// </summary>
public sealed record NodeChildren(ImmutableArray<string> Children, ZooKeeperStat Stat);
