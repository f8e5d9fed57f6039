namespace Chat.Client.Diagnostics;

/// <summary>The live counters behind <see cref="ChatClientCounters"/>; incremented from any thread.</summary>
internal sealed class ClientCounters
{
    private long _reconnects;
    private long _resyncs;
    private long _gapsDetected;
    private long _sendsRetried;
    private long _syncRequests;
    private long _messagesDelivered;

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void ResyncHintReceived() => Interlocked.Increment(ref _resyncs);

    public void GapDetected() => Interlocked.Increment(ref _gapsDetected);

    public void SendRetried(int count = 1) => Interlocked.Add(ref _sendsRetried, count);

    public void SyncRequested() => Interlocked.Increment(ref _syncRequests);

    public void MessageDelivered() => Interlocked.Increment(ref _messagesDelivered);

    public ChatClientCounters Snapshot() => new(
        Interlocked.Read(ref _reconnects),
        Interlocked.Read(ref _resyncs),
        Interlocked.Read(ref _gapsDetected),
        Interlocked.Read(ref _sendsRetried),
        Interlocked.Read(ref _syncRequests),
        Interlocked.Read(ref _messagesDelivered));
}
