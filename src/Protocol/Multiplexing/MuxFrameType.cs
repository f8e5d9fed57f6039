namespace Chat.Protocol.Multiplexing;

/// <summary>The type byte of a mux frame header (see mux.thrift for the payload of each).</summary>
public enum MuxFrameType : byte
{
    /// <summary>Shard to gateway, first frame: <see cref="MuxChallenge"/>.</summary>
    Challenge = 1,

    /// <summary>Gateway to shard: <see cref="MuxHello"/>.</summary>
    Hello = 2,

    /// <summary>Shard to gateway: <see cref="MuxHelloOk"/>.</summary>
    HelloOk = 3,

    /// <summary>Gateway to shard, new stream: <see cref="MuxOpen"/>.</summary>
    Open = 4,

    /// <summary>Stream bytes, opaque to the mux.</summary>
    Data = 5,

    /// <summary>Stream credit: u32 big-endian increment.</summary>
    Window = 6,

    /// <summary>Stream end: <see cref="MuxReset"/>.</summary>
    Reset = 7,

    /// <summary>Liveness probe: 8 opaque bytes.</summary>
    Ping = 8,

    /// <summary>Answer to a ping: its 8 bytes.</summary>
    Pong = 9,

    /// <summary>Connection going away: <see cref="MuxGoAway"/>.</summary>
    GoAway = 10,

    /// <summary>New limits for streams opened later: <see cref="MuxSettings"/>.</summary>
    Settings = 11,
}
