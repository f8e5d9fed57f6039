namespace Chat.LoadTest.Reports;

/// <summary>One line of a chart: name, CSS color, points (x = seconds of the run).</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);
