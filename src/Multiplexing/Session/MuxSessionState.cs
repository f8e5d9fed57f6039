namespace Chat.Multiplexing.Session;

/// <summary>Lifecycle of a mux session; only forward moves.</summary>
internal enum MuxSessionState
{
    /// <summary>TCP connected, nothing but the handshake accepted.</summary>
    Handshaking,

    /// <summary>Both sides authenticated: streams, pings, GoAway.</summary>
    Established,

    /// <summary>Closing (protocol error, timeout, GoAway): inbound frames are dropped.</summary>
    Closing,

    /// <summary>The TCP connection is gone.</summary>
    Closed,
}
