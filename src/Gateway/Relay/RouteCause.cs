namespace Chat.Gateway.Relay;

/// <summary>Why a session is opening a stream.</summary>
internal enum RouteCause
{
    /// <summary>The client just authenticated.</summary>
    Initial,

    /// <summary>The shard moved the couple away (Reset Moved).</summary>
    Moved,

    /// <summary>The shard does not own the couple at its epoch (Reset NotOwner).</summary>
    NotOwner,

    /// <summary>The shard refused the stream or cannot serve now (Refused, ShardUnavailable).</summary>
    Refused,

    /// <summary>The mux connection carrying the stream was lost.</summary>
    ConnectionLost,
}
