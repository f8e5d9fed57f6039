namespace Chat.LoadTest.Load;

/// <summary>
/// One second of one worker: cumulative counters at <see cref="UnixMs"/> and the latencies recorded
/// during that second (base64 HdrHistograms, so worker processes can hand them over as text).
/// </summary>
internal sealed record WorkerSample
{
    public long UnixMs { get; init; }

    public long Connected { get; init; }

    public long Sent { get; init; }

    public long Acked { get; init; }

    public long Delivered { get; init; }

    public long Skipped { get; init; }

    public long Errors { get; init; }

    public long Reconnects { get; init; }

    public string? EndToEnd { get; init; }

    public string? Ack { get; init; }
}
