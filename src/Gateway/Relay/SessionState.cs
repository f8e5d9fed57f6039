namespace Chat.Gateway.Relay;

/// <summary>Where a client session is in its life.</summary>
internal enum SessionState
{
    /// <summary>Authenticated; the first stream is being opened. Client frames are held.</summary>
    Routing,

    /// <summary>A stream is open: frames flow both ways.</summary>
    Relaying,

    /// <summary>The stream ended (Moved, NotOwner, connection lost...): a new one is being opened. Client frames are held.</summary>
    Rehoming,

    /// <summary>The client connection is closed or closing.</summary>
    Closed,
}
