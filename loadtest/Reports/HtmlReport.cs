using System.Globalization;
using System.Net;
using System.Text;

namespace Chat.LoadTest.Reports;

/// <summary>
/// The self-contained HTML report of a run: verdict and failures, summary tables, and inline SVG
/// charts (latency, connections, messages per second, reconnects and re-homed streams) with ring
/// epochs and scenario actions marked on the time axis.
/// </summary>
internal static class HtmlReport
{
    public static string Render(RunResult result)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
            .Append(E($"loadtest {result.Scenario} {result.RunId}"))
            .Append("</title><style>body{font-family:sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse;margin:8px 0 16px}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}")
            .Append(".pass{color:#0a7d28}.fail{color:#c0141e}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(result.Scenario)} <span class=\"{(result.Passed ? "pass" : "fail")}\">{(result.Passed ? "PASSED" : "FAILED")}</span></h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>run {E(result.RunId)}, started {E(result.StartedAt.ToString("u", CultureInfo.InvariantCulture))}, {result.Seconds:0.#} s</p>");
        if (result.Failures.Count > 0)
        {
            html.Append("<ul>");
            foreach (var failure in result.Failures)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"fail\">{E(failure)}</li>");
            }

            html.Append("</ul>");
        }

        Table(html, "Load", [
            ("couples", N(result.Couples)), ("devices (connections)", N(result.Devices)), ("worker processes", N(result.Workers)),
            ("sent", N(result.Sent)), ("acknowledged", N(result.Acked)), ("delivered (all devices)", N(result.Delivered)),
            ("skipped by the in-flight bound", N(result.Skipped)), ("acknowledged msg/s", result.MessagesPerSecond.ToString("0.#", CultureInfo.InvariantCulture)),
            ("connect failures", N(result.ConnectFailures)), ("time until all connected (s)", result.ConnectSeconds.ToString("0.##", CultureInfo.InvariantCulture)),
        ]);
        Table(html, "Delivery check (every acknowledged message on every device of its couple, in seq order, once)", [
            ("couples checked", N(result.Checks.Couples)), ("couples failed", N(result.Checks.FailedCouples)), ("lost", N(result.Checks.Lost)),
            ("duplicated", N(result.Checks.Duplicated)), ("out of order", N(result.Checks.OutOfOrder)), ("seq/id mismatches", N(result.Checks.Mismatched)),
            ("recovered only by the final Sync", N(result.Checks.BySync)), ("client reconnects", N(result.Reconnects)), ("ResyncHints", N(result.Resyncs)),
            ("gaps detected", N(result.Gaps)), ("sends retried", N(result.SendsRetried)), ("streams re-homed (gateways)", result.Rehomed.ToString("0", CultureInfo.InvariantCulture)),
        ]);
        html.Append("<h2>Latency (ms)</h2><table><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>");
        foreach (var (name, summary) in new[] { ("end to end (sender to partner)", result.EndToEnd), ("send to Ack", result.Ack), ("first connect", result.Connect) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{N(summary.Count)}</td><td>{summary.P50}</td><td>{summary.P90}</td><td>{summary.P99}</td><td>{summary.P999}</td><td>{summary.Max}</td><td>{summary.Mean}</td></tr>");
        }

        html.Append("</table>");
        if (result.Figures.Count > 0)
        {
            Table(html, "Scenario figures", [.. result.Figures.Select(f => (f.Key, f.Value.ToString("0.###", CultureInfo.InvariantCulture)))]);
        }

        if (result.Compare.Count > 0)
        {
            html.Append("<h2>Compare (ratios to the direct path)</h2><table><tr><th>path</th><th>msg/s</th><th>p50 ms</th><th>p99 ms</th><th>p50 ratio</th><th>p99 ratio</th><th>throughput ratio</th><th>checks</th></tr>");
            foreach (var row in result.Compare)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(row.Path)}</td><td>{row.MessagesPerSecond:0.#}</td><td>{row.EndToEnd.P50}</td><td>{row.EndToEnd.P99}</td><td>{row.P50Ratio:0.##}</td><td>{row.P99Ratio:0.##}</td><td>{row.ThroughputRatio:0.##}</td><td>{(row.Passed ? "pass" : "FAIL")}</td></tr>");
            }

            html.Append("</table>");
        }

        if (result.Errors.Count > 0)
        {
            Table(html, "Errors by code", [.. result.Errors.Select(e => (e.Key, N(e.Value)))]);
        }

        var t = result.Timeline;
        html.Append("<h2>Over time</h2>");
        html.Append(SvgChart.Render("End-to-end latency", "ms", [
            // Seconds without a delivery have no latency: left out rather than drawn as 0.
            new ChartSeries("p50", "#1f77b4", [.. t.Where(p => p.P99Ms > 0).Select(p => (p.T, p.P50Ms))]),
            new ChartSeries("p99", "#d62728", [.. t.Where(p => p.P99Ms > 0).Select(p => (p.T, p.P99Ms))]),
        ], result.Events));
        html.Append(SvgChart.Render("Connections", "connected", [new ChartSeries("connected", "#2ca02c", [.. t.Select(p => (p.T, (double)p.Connected))])], result.Events));
        html.Append(SvgChart.Render("Messages per second", "msg/s", [
            new ChartSeries("sent", "#7f7f7f", [.. t.Select(p => (p.T, p.SentPerSecond))]),
            new ChartSeries("acknowledged", "#1f77b4", [.. t.Select(p => (p.T, p.AckedPerSecond))]),
            new ChartSeries("delivered", "#2ca02c", [.. t.Select(p => (p.T, p.DeliveredPerSecond))]),
        ], result.Events));
        html.Append(SvgChart.Render("Reconnects and re-homed streams (cumulative)", "count", [
            new ChartSeries("client reconnects", "#d62728", [.. t.Select(p => (p.T, (double)p.Reconnects))]),
            new ChartSeries("re-homed streams", "#8a2be2", [.. t.Select(p => (p.T, p.Rehomed))]),
        ], result.Events));
        if (result.Events.Count > 0)
        {
            Table(html, "Events", [.. result.Events.Select(e => (e.T.ToString("0.0", CultureInfo.InvariantCulture) + " s", e.Kind + ": " + e.Label))]);
        }

        if (result.Settings.Count > 0)
        {
            Table(html, "Settings", [.. result.Settings.Select(s => (s.Key, s.Value))]);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, string title, IEnumerable<(string Name, string Value)> rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)}</h2><table>");
        foreach (var (name, value) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(value)}</td></tr>");
        }

        html.Append("</table>");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
