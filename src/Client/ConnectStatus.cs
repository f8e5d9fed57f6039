namespace Chat.Client;

/// <summary>How <see cref="ChatClient.ConnectAsync"/> ended.</summary>
public enum ConnectStatus
{
    /// <summary>Authenticated; from now on the client reconnects by itself until it is disposed.</summary>
    Connected,

    /// <summary>
    /// The server refused the token twice in a row (once more after asking the token provider for a
    /// fresh one): a configuration problem rather than a network one. The client is closed.
    /// </summary>
    AuthFailed,
}
