namespace Chat.Client.Syncing;

/// <summary>
/// One Sync on one connection. <see cref="ForOrdering"/> requests come from the client's own catch-up
/// and their pages feed the ordering buffer (on the read loop, before <see cref="Completion"/> is set);
/// the others are the app's <see cref="ChatClient.SyncAsync"/> queries.
/// </summary>
internal sealed class SyncRequest(long afterSeq, int limit, bool forOrdering)
{
    public long AfterSeq { get; } = afterSeq;

    public int Limit { get; } = limit;

    public bool ForOrdering { get; } = forOrdering;

    public TaskCompletionSource<SyncOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Fires when the answer is overdue; disposed when it arrives.</summary>
    public ITimer? Watchdog { get; set; }

    public void Complete(SyncOutcome outcome)
    {
        Watchdog?.Dispose();
        Completion.TrySetResult(outcome);
    }
}
