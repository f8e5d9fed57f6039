namespace Chat.Client;

/// <summary>Why the client is (re)connecting, or why it closed.</summary>
public enum DisconnectReason
{
    /// <summary>Nothing went wrong (first connect, or a close the app asked for).</summary>
    None,

    /// <summary>TCP connect, DNS or the connect timeout failed.</summary>
    ConnectFailed,

    /// <summary>The TLS handshake failed: the certificate did not validate (pinned CA, server name) or the peer does not speak TLS.</summary>
    TlsFailed,

    /// <summary>The server refused the token (Error{AuthFailed}).</summary>
    AuthFailed,

    /// <summary>The token expired (Error{TokenExpired}).</summary>
    TokenExpired,

    /// <summary>The token provider threw or returned no token.</summary>
    TokenUnavailable,

    /// <summary>No AuthOk within <see cref="ChatClientOptions.AuthTimeout"/>.</summary>
    AuthTimeout,

    /// <summary>The peer closed the connection or the socket failed.</summary>
    ConnectionLost,

    /// <summary>Nothing arrived for two ping intervals, or a Sync went unanswered: the connection is presumed dead.</summary>
    Timeout,

    /// <summary>The server drains (GoAway): the client moved to another endpoint within the deadline.</summary>
    GoAway,

    /// <summary>The shard does not own the couple (ring changed; direct connections only).</summary>
    NotOwner,

    /// <summary>The server is shutting down (Error{ShuttingDown}).</summary>
    ShuttingDown,

    /// <summary>The server's storage is unavailable (Error{Unavailable} instead of AuthOk).</summary>
    Unavailable,

    /// <summary>A frame or packet broke the protocol (either side), or the server answered Auth with something unexpected.</summary>
    ProtocolError,
}
