using Chat.LoadTest.Checks;

namespace Chat.LoadTest.Load;

/// <summary>What one worker measured and checked over the whole run.</summary>
internal sealed record WorkerResult
{
    public int Couples { get; init; }

    public int Devices { get; init; }

    /// <summary>Devices whose first connect did not succeed within the connect bound.</summary>
    public int ConnectFailures { get; init; }

    /// <summary>From the first connect attempt until every device was connected (or the bound passed).</summary>
    public double ConnectSeconds { get; init; }

    public long ConnectStartUnixMs { get; init; }

    public long SendStartUnixMs { get; init; }

    public long SendEndUnixMs { get; init; }

    public long Sent { get; init; }

    public long Acked { get; init; }

    public long Skipped { get; init; }

    public long Delivered { get; init; }

    public long Reconnects { get; init; }

    public long Resyncs { get; init; }

    public long Gaps { get; init; }

    public long SendsRetried { get; init; }

    public CheckTotals Checks { get; init; } = CheckTotals.Empty;

    public IReadOnlyDictionary<string, long> Errors { get; init; } = new Dictionary<string, long>();

    public string? EndToEnd { get; init; }

    public string? Ack { get; init; }

    public string? Connect { get; init; }
}
