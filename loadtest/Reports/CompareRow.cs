namespace Chat.LoadTest.Reports;

/// <summary>One path of <c>chat --compare</c> and its figures relative to the direct path.</summary>
internal sealed record CompareRow(string Path, double MessagesPerSecond, LatencySummary EndToEnd, double P50Ratio, double P99Ratio, double ThroughputRatio, bool Passed);
