using System.Xml.Linq;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Reports;

namespace Chat.Tests.LoadTest.Reports;

/// <summary>The HTML report is self-contained, escapes what it prints, and its SVG charts are well-formed.</summary>
public class HtmlReportTests
{
    private static RunResult Sample(bool passed) => new()
    {
        Scenario = "kill-shard",
        RunId = "r<1>",
        Passed = passed,
        Failures = passed ? [] : ["delivery check: lost 3 <script>"],
        Checks = CheckTotals.Empty,
        EndToEnd = new LatencySummary(10, 1, 2, 3, 4, 5, 1.5),
        Errors = new Dictionary<string, long> { ["send:TimedOut"] = 2 },
        Figures = new Dictionary<string, double> { ["recovery_seconds"] = 2.5 },
        Timeline = [.. Enumerable.Range(0, 30).Select(t => new TimePoint(t, 100, 50, 50, 100, 1.2, 4.5, 9, t / 10, 0, t > 10 ? 7 : 0))],
        Events = [new TimelineEvent(10, "action", "SIGKILL shard s1"), new TimelineEvent(12.5, "ring", "epoch 7: s2 s3")],
        Compare = [new CompareRow("gateways (TLS)", 990, new LatencySummary(1, 2, 3, 4, 5, 6, 7), 2, 3, 0.99, true)],
    };

    [Fact]
    public void The_report_has_four_charts_the_verdict_and_no_external_resource()
    {
        var html = HtmlReport.Render(Sample(passed: false));
        Assert.Equal(4, CountOf(html, "<svg "));
        Assert.Contains("FAILED", html, StringComparison.Ordinal);
        Assert.Contains("SIGKILL shard s1", html, StringComparison.Ordinal);
        Assert.Contains("recovery_seconds", html, StringComparison.Ordinal);
        Assert.Contains("gateways (TLS)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("r&lt;1&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_chart_parses_as_XML_with_one_polyline_per_series_and_a_marker_per_event()
    {
        var html = HtmlReport.Render(Sample(passed: true));
        var start = 0;
        var charts = 0;
        while ((start = html.IndexOf("<svg ", start, StringComparison.Ordinal)) >= 0)
        {
            var end = html.IndexOf("</svg>", start, StringComparison.Ordinal) + "</svg>".Length;
            var svg = XElement.Parse(html[start..end]);
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.NotEmpty(svg.Descendants(ns + "polyline"));
            Assert.Equal(2, svg.Descendants(ns + "line").Count(l => (string?)l.Attribute("stroke-dasharray") == "4 3"));
            start = end;
            charts++;
        }

        Assert.Equal(4, charts);
    }

    [Fact]
    public void A_chart_without_points_still_renders()
    {
        var svg = XElement.Parse(SvgChart.Render("empty", "ms", [new ChartSeries("p50", "#000", [])], []));
        Assert.Equal("svg", svg.Name.LocalName);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.7, 1)]
    [InlineData(3, 5)]
    [InlineData(7.2, 10)]
    [InlineData(180, 200)]
    [InlineData(2100, 2500)]
    public void Axis_maxima_are_round_numbers(double value, double expected) => Assert.Equal(expected, SvgChart.NiceCeiling(value), 6);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
