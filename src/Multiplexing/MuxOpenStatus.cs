namespace Chat.Multiplexing;

/// <summary>Outcome of <see cref="MuxClientConnection.OpenStreamAsync"/>.</summary>
public enum MuxOpenStatus
{
    /// <summary>The Open was sent and the stream channel is registered. The shard may still reset it (NotOwner, Refused...).</summary>
    Opened,

    /// <summary>The connection is closed or closing: use another one.</summary>
    ConnectionClosed,

    /// <summary>The shard sent GoAway: no new streams on this connection.</summary>
    GoingAway,

    /// <summary>The shard's MaxStreams is reached on this connection.</summary>
    TooManyStreams,

    /// <summary>All 2^32-1 stream ids were used: open a new connection.</summary>
    StreamIdsExhausted,

    /// <summary>The Open body is larger than the shard's MaxFramePayload (an oversized Auth frame).</summary>
    RequestTooLarge,
}
