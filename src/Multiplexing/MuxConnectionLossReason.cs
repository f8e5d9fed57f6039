namespace Chat.Multiplexing;

/// <summary>Why a mux connection ended, as seen by its streams.</summary>
public enum MuxConnectionLossReason
{
    /// <summary>The TCP connection closed (either side, or an I/O error).</summary>
    Closed,

    /// <summary>A side broke the mux protocol.</summary>
    ProtocolError,

    /// <summary>The peer did not answer a ping in time.</summary>
    PingTimeout,

    /// <summary>The peer went away (GoAway with a closing reason).</summary>
    GoAway,

    /// <summary>This side closed the connection on purpose.</summary>
    LocalClose,
}
