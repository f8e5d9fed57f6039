namespace Chat.Cluster.ZooKeeper;

/// <summary>Which watch a read leaves: getData a data watch, exists a data or exist watch, getChildren2 a child watch.</summary>
internal enum WatchKind
{
    Data,
    Exists,
    Child,
}
