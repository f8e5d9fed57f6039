using Chat.LoadTest.Checks;

namespace Chat.LoadTest.Reports;

/// <summary>The JSON result file of a run (and the input of the HTML report).</summary>
internal sealed record RunResult
{
    public required string Scenario { get; init; }

    public required string RunId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public double Seconds { get; init; }

    public bool Passed { get; init; }

    /// <summary>Why the run failed, one line per failed check (empty when it passed).</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public int Couples { get; init; }

    public int Devices { get; init; }

    public int Workers { get; init; }

    public long Sent { get; init; }

    public long Acked { get; init; }

    public long Delivered { get; init; }

    public long Skipped { get; init; }

    /// <summary>Acknowledged messages per second over the sending phase.</summary>
    public double MessagesPerSecond { get; init; }

    public int ConnectFailures { get; init; }

    public double ConnectSeconds { get; init; }

    public long Reconnects { get; init; }

    public long Resyncs { get; init; }

    public long Gaps { get; init; }

    public long SendsRetried { get; init; }

    /// <summary>Streams the gateways re-homed (from their /metrics) during the run.</summary>
    public double Rehomed { get; init; }

    public CheckTotals Checks { get; init; } = CheckTotals.Empty;

    public IReadOnlyDictionary<string, long> Errors { get; init; } = new Dictionary<string, long>();

    /// <summary>Sender's SendAsync call to the partner's MessageReceived.</summary>
    public LatencySummary EndToEnd { get; init; } = LatencySummary.Empty;

    /// <summary>SendAsync call to its Ack.</summary>
    public LatencySummary Ack { get; init; } = LatencySummary.Empty;

    /// <summary>First connect (TCP, TLS, Auth) of each device.</summary>
    public LatencySummary Connect { get; init; } = LatencySummary.Empty;

    /// <summary>Scenario figures (recovery seconds, bytes per connection, handshakes per second ...).</summary>
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<TimePoint> Timeline { get; init; } = [];

    public IReadOnlyList<TimelineEvent> Events { get; init; } = [];

    public IReadOnlyList<CompareRow> Compare { get; init; } = [];
}
