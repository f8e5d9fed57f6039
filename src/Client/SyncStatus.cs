namespace Chat.Client;

/// <summary>How a <see cref="ChatClient.SyncAsync"/> ended.</summary>
public enum SyncStatus
{
    /// <summary>The page is in <see cref="SyncPage.Messages"/>.</summary>
    Ok,

    /// <summary>The shard refused the request (Error{BadRequest}).</summary>
    Rejected,

    /// <summary>No answer within <see cref="ChatClientOptions.RequestTimeout"/>, across reconnects and retries.</summary>
    TimedOut,

    /// <summary>The client was disposed.</summary>
    Closed,
}
