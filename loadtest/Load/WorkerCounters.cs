using HdrHistogram;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Load;

/// <summary>Live counters of one worker, shared by its devices and read once a second for progress.</summary>
internal sealed class WorkerCounters
{
    private long _connected;
    private long _sent;
    private long _acked;
    private long _delivered;
    private long _skipped;
    private long _inFlight;
    private long _everConnected;

    public Recorder EndToEnd { get; } = Histograms.CreateRecorder();

    public Recorder AckLatency { get; } = Histograms.CreateRecorder();

    public Recorder ConnectLatency { get; } = Histograms.CreateRecorder();

    public ErrorCounts Errors { get; } = new();

    public long Connected => Interlocked.Read(ref _connected);

    public long EverConnected => Interlocked.Read(ref _everConnected);

    public long Sent => Interlocked.Read(ref _sent);

    public long Acked => Interlocked.Read(ref _acked);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void ConnectedChanged(bool connected) => Interlocked.Add(ref _connected, connected ? 1 : -1);

    public void FirstConnect() => Interlocked.Increment(ref _everConnected);

    public void SendStarted()
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _inFlight);
    }

    public void SendEnded(bool acked)
    {
        Interlocked.Decrement(ref _inFlight);
        if (acked)
        {
            Interlocked.Increment(ref _acked);
        }
    }

    public void Skip(long count) => Interlocked.Add(ref _skipped, count);

    public void DeliveredOne() => Interlocked.Increment(ref _delivered);
}
