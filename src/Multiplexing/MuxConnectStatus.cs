namespace Chat.Multiplexing;

/// <summary>Outcome of <see cref="MuxClient.ConnectAsync"/>.</summary>
public enum MuxConnectStatus
{
    /// <summary>Connected and authenticated both ways.</summary>
    Connected,

    /// <summary>The TCP connect failed or timed out.</summary>
    ConnectFailed,

    /// <summary>The handshake did not finish within HandshakeTimeout.</summary>
    HandshakeTimeout,

    /// <summary>The shard refused the Hello (GoAway HandshakeFailed: unknown key id, bad MAC, version).</summary>
    Rejected,

    /// <summary>The shard's HelloOk MAC did not verify: it does not hold the cluster key.</summary>
    ServerNotAuthenticated,

    /// <summary>The shard authenticated but is not the shard that was expected at this address.</summary>
    ShardMismatch,

    /// <summary>The shard broke the handshake protocol or closed during it.</summary>
    ProtocolError,
}
