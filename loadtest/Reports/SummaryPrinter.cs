using System.Globalization;

namespace Chat.LoadTest.Reports;

/// <summary>The end-of-run summary on standard output: verdict, figures, checks, paths of the result files.</summary>
internal static class SummaryPrinter
{
    public static void Print(RunResult r, string jsonPath, string htmlPath, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"== {r.Scenario} {(r.Passed ? "PASSED" : "FAILED")} (run {r.RunId}, {r.Seconds:0.#} s)"));
        output.WriteLine(string.Create(c, $"   couples {r.Couples:N0}, connections {r.Devices:N0}, workers {r.Workers}, connect failures {r.ConnectFailures}, all connected after {r.ConnectSeconds:0.##} s"));
        output.WriteLine(string.Create(c, $"   sent {r.Sent:N0}, acked {r.Acked:N0} ({r.MessagesPerSecond:0.#} msg/s), delivered {r.Delivered:N0}, skipped {r.Skipped:N0}"));
        Latency(output, "end-to-end", r.EndToEnd);
        Latency(output, "send->ack ", r.Ack);
        Latency(output, "connect   ", r.Connect);
        output.WriteLine(string.Create(c, $"   check: lost {r.Checks.Lost}, duplicated {r.Checks.Duplicated}, out of order {r.Checks.OutOfOrder}, mismatched {r.Checks.Mismatched}, by final sync {r.Checks.BySync} over {r.Checks.Couples:N0} couples ({r.Checks.FailedCouples} failed)"));
        output.WriteLine(string.Create(c, $"   reconnects {r.Reconnects}, resyncs {r.Resyncs}, gaps {r.Gaps}, sends retried {r.SendsRetried}, streams re-homed {r.Rehomed:0}"));
        if (r.Errors.Count > 0)
        {
            output.WriteLine("   errors: " + string.Join(", ", r.Errors.Select(e => string.Create(c, $"{e.Key} {e.Value}"))));
        }

        foreach (var (name, value) in r.Figures)
        {
            output.WriteLine(string.Create(c, $"   {name}: {value:0.###}"));
        }

        if (r.Compare.Count > 0)
        {
            output.WriteLine("   path                             msg/s    p50 ms    p99 ms   p50 x   p99 x  msg/s x  checks");
            foreach (var row in r.Compare)
            {
                output.WriteLine(string.Create(c, $"   {row.Path,-30} {row.MessagesPerSecond,8:0.#} {row.EndToEnd.P50,9:0.###} {row.EndToEnd.P99,9:0.###} {row.P50Ratio,7:0.##} {row.P99Ratio,7:0.##} {row.ThroughputRatio,8:0.##}  {(row.Passed ? "pass" : "FAIL")}"));
            }
        }

        foreach (var failure in r.Failures)
        {
            output.WriteLine("   FAILED: " + failure);
        }

        output.WriteLine($"   result {jsonPath}");
        output.WriteLine($"   report {htmlPath}");
    }

    private static void Latency(TextWriter output, string name, LatencySummary s) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {name} ms: p50 {s.P50} p90 {s.P90} p99 {s.P99} p99.9 {s.P999} max {s.Max} (n={s.Count:N0})"));
}
