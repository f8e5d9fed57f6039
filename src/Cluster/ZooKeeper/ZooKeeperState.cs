namespace Chat.Cluster.ZooKeeper;

/// <summary>The client's connection state.</summary>
public enum ZooKeeperState
{
    /// <summary>Not connected yet (first connection).</summary>
    Connecting,

    /// <summary>A server serves the session; calls go through.</summary>
    Connected,

    /// <summary>
    /// The connection broke; the client tries the next server with the same session. Ephemeral
    /// nodes and watches are intact unless the session then expires.
    /// </summary>
    Disconnected,

    /// <summary>The session ended on the server; a new one is being opened (see <see cref="ZooKeeperStateChange.SessionId"/>).</summary>
    Expired,

    /// <summary>The client was closed.</summary>
    Closed,
}
