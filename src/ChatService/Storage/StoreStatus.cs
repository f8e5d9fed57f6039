namespace Chat.ChatService.Storage;

/// <summary>Outcome of the store's reads and read-mark updates.</summary>
public enum StoreStatus
{
    /// <summary>Done; the result's data is valid.</summary>
    Ok,

    /// <summary>An argument is out of range (bad id, negative seq, limit below 1). Nothing was done.</summary>
    Invalid,

    /// <summary>The store did not answer in time or refused for a transient reason; try again later.</summary>
    Unavailable,

    /// <summary>The store answered with an unexpected error or undecodable data (a bug or corruption; logged).</summary>
    Failed,
}
