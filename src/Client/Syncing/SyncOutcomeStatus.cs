namespace Chat.Client.Syncing;

/// <summary>How one Sync request on one connection ended.</summary>
internal enum SyncOutcomeStatus
{
    /// <summary>SyncResult arrived.</summary>
    Ok,

    /// <summary>The server answered Error (see <see cref="SyncOutcome.Error"/>).</summary>
    Failed,

    /// <summary>The connection ended first; ask again on the next one.</summary>
    ConnectionEnded,
}
