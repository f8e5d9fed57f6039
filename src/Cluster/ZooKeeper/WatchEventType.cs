namespace Chat.Cluster.ZooKeeper;

/// <summary>What fired a watch. Node events use the server's codes.</summary>
public enum WatchEventType
{
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,

    /// <summary>The session expired: the watch is gone without its event; read again and set a new one.</summary>
    SessionExpired = 100,
}
