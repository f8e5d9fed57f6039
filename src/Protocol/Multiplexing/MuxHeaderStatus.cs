namespace Chat.Protocol.Multiplexing;

/// <summary>Outcome of reading a mux frame header. Everything but <see cref="Ok"/> and
/// <see cref="Incomplete"/> is a protocol error that closes the mux connection.</summary>
public enum MuxHeaderStatus
{
    /// <summary>A valid header was read.</summary>
    Ok,

    /// <summary>Fewer than <see cref="MuxFrameHeader.Size"/> bytes: read more.</summary>
    Incomplete,

    /// <summary>The type byte names no frame type.</summary>
    UnknownType,

    /// <summary>Flags set that the frame type does not define.</summary>
    BadFlags,

    /// <summary>Stream id 0 on a stream frame, or non-zero on a connection frame.</summary>
    BadStreamId,

    /// <summary>A length the frame type does not allow (Window is 4, Ping and Pong 8, Data at least 1).</summary>
    BadLength,

    /// <summary>The payload is longer than the receiver's limit.</summary>
    PayloadTooLarge,
}
