namespace Chat.ChatService.Chat;

/// <summary>Where a client connection is in its life.</summary>
internal enum ConnectionState
{
    /// <summary>Connected; the first packet must be Auth, before the deadline.</summary>
    AwaitingAuth,

    /// <summary>Auth received: token, ownership and the couple's session are being checked; later packets wait (bounded).</summary>
    Authenticating,

    /// <summary>AuthOk sent; packets go to the couple's session.</summary>
    Authenticated,

    /// <summary>Closed or being closed; everything is ignored.</summary>
    Ended,
}
