namespace Chat.Cluster.ZooKeeper;

/// <summary>What identifies a session to a server: its id and password.</summary>
internal sealed record ZooKeeperSessionCredentials(long SessionId, ReadOnlyMemory<byte> Password);
