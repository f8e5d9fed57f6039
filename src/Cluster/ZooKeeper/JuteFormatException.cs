namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// A reply frame that does not parse as the record expected. Never leaves the connection: it is
/// caught where frames are read and becomes <see cref="ZooKeeperError.MarshallingError"/>.
/// </summary>
internal sealed class JuteFormatException(string message) : Exception(message);
