namespace Chat.LoadTest.Reports;

/// <summary>One second of the run, summed over workers: rates over that second, latencies recorded in it.</summary>
internal sealed record TimePoint(
    double T,
    long Connected,
    double SentPerSecond,
    double AckedPerSecond,
    double DeliveredPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Reconnects,
    long Errors,
    double Rehomed);
