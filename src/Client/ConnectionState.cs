namespace Chat.Client;

/// <summary>The client's connection state, reported through <see cref="ChatClient.StateChanged"/>.</summary>
public enum ConnectionState
{
    /// <summary>Constructed; <see cref="ChatClient.ConnectAsync"/> not called yet.</summary>
    Created,

    /// <summary>Opening the first connection.</summary>
    Connecting,

    /// <summary>Authenticated: sends go out at once, live events arrive.</summary>
    Connected,

    /// <summary>The connection ended (see <see cref="StateChange.Reason"/>); the client is waiting out its backoff or connecting again.</summary>
    Reconnecting,

    /// <summary>Disposed, or the first connect was refused; terminal.</summary>
    Closed,
}
