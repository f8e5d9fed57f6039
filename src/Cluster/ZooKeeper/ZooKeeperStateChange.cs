namespace Chat.Cluster.ZooKeeper;

/// <summary>One entry of the client's state stream.</summary>
/// <param name="State">The new state.</param>
/// <param name="SessionId">The session it applies to; a Connected with a new id follows an Expired.</param>
/// <param name="IsNewSession">On Connected: true when this is a new session (first connect or after expiry), false on a reattach.</param>
public readonly record struct ZooKeeperStateChange(ZooKeeperState State, long SessionId, bool IsNewSession);
