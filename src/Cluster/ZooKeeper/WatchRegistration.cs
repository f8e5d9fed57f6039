namespace Chat.Cluster.ZooKeeper;

/// <summary>A watch asked for by a read; added to the registry when the reply arrives, before the caller sees it.</summary>
internal sealed record WatchRegistration(WatchKind Kind, string Path, Action<WatchedEvent> Watcher);
