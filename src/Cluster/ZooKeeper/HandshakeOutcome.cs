namespace Chat.Cluster.ZooKeeper;

internal enum HandshakeOutcome
{
    /// <summary>The server serves the session (new or resumed).</summary>
    Connected,

    /// <summary>The server says the session no longer exists (timeOut 0 in the reply).</summary>
    Expired,

    /// <summary>No usable answer: refused, closed (e.g. the server is behind our zxid), timed out, or garbled.</summary>
    Failed,
}
