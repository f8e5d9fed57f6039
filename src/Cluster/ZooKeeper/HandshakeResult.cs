namespace Chat.Cluster.ZooKeeper;

/// <summary>Outcome of opening a connection; on Connected it carries the connection and the negotiated session.</summary>
internal sealed record HandshakeResult(
    HandshakeOutcome Outcome,
    ZooKeeperConnection? Connection = null,
    long SessionId = 0,
    byte[]? Password = null,
    TimeSpan NegotiatedTimeout = default,
    string? Failure = null);
