namespace Chat.Cluster.ZooKeeper;

/// <summary>How a node is created (the wire flags of <c>CreateRequest</c>). ACL is always open (world:anyone, all).</summary>
public enum CreateMode
{
    Persistent = 0,

    /// <summary>Deleted when the creating session ends (expiry or close), not when a socket closes.</summary>
    Ephemeral = 1,

    /// <summary>The server appends a 10-digit counter to the name and returns the real path.</summary>
    PersistentSequential = 2,

    /// <summary>
    /// Ephemeral with a counter suffix. Beware: retrying after ConnectionLoss can leave two nodes
    /// (the first create may have succeeded); registrations use plain <see cref="Ephemeral"/>.
    /// </summary>
    EphemeralSequential = 3,
}
