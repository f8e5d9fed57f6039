namespace Chat.ChatService.Chat;

/// <summary>Why the shard ends a client connection (a direct socket or a mux stream).</summary>
internal enum EndReason
{
    /// <summary>The client broke the protocol (bad frame, packet before Auth, no Auth in time).</summary>
    ProtocolError,

    /// <summary>The token was refused.</summary>
    AuthFailed,

    /// <summary>This shard does not own the couple at its ring epoch (at Auth time).</summary>
    NotOwner,

    /// <summary>The ring moved the couple away from this shard while connected.</summary>
    Moved,

    /// <summary>The device stopped reading and its outbound backlog passed the bound.</summary>
    SlowConsumer,

    /// <summary>The shard is stopping.</summary>
    ShuttingDown,

    /// <summary>A dependency failed in a way that leaves the connection useless (store down at Auth).</summary>
    Unavailable,
}
