namespace Chat.Cluster.ZooKeeper;

/// <summary>A node's metadata as the server reports it (jute <c>org.apache.zookeeper.data.Stat</c>).</summary>
/// <param name="Czxid">Transaction that created the node.</param>
/// <param name="Mzxid">Transaction that last changed its data.</param>
/// <param name="Ctime">Creation time, Unix milliseconds (server clock).</param>
/// <param name="Mtime">Last data change, Unix milliseconds (server clock).</param>
/// <param name="Version">Data version, for conditional setData/delete.</param>
/// <param name="Cversion">Child version: grows by one on every child create or delete (the ring epoch).</param>
/// <param name="Aversion">ACL version.</param>
/// <param name="EphemeralOwner">Session id owning an ephemeral node, 0 for a persistent one.</param>
/// <param name="DataLength">Length of the data, bytes.</param>
/// <param name="NumChildren">Number of children.</param>
/// <param name="Pzxid">Transaction that last changed the children.</param>
public sealed record ZooKeeperStat(
    long Czxid,
    long Mzxid,
    long Ctime,
    long Mtime,
    int Version,
    int Cversion,
    int Aversion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long Pzxid);
