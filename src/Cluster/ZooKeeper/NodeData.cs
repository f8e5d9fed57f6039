namespace Chat.Cluster.ZooKeeper;

/// <summary>A node's data and metadata, from one getData reply.</summary>
public sealed record NodeData(ReadOnlyMemory<byte> Data, ZooKeeperStat Stat);
