namespace Chat.Cluster.ZooKeeper;

/// <summary>A fired watch: what happened and to which path (chroot removed). Watches are one-shot.</summary>
public sealed record WatchedEvent(WatchEventType Type, string Path);
