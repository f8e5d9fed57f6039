using System.Globalization;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// chat --compare: the same chat load, one path after the other against the same shards, (a)
/// through our gateways, (b) through HAProxy terminating TLS and routing by couple id to the shards'
/// direct ports, (c) straight to the owning shards' direct ports; then one table of ratios to (c).
/// Each path uses its own couples (fresh history) and must pass its own checks.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private async Task<RunResult> CompareAsync(LocalCluster cluster, RepoLayout layout, string runDir, CancellationToken cancellationToken)
    {
        // Warm-up through the gateways, not measured: JIT and first connections of the harness, the
        // gateways and the shards would otherwise count against whichever path runs first.
        output.WriteLine("compare: warm-up (5 s through the gateways, not measured)");
        var warmUp = ChatSpec(cluster, _runId + "w", ChatPath.Gateways) with { Couples = Math.Min(options.Couples, 200), Rate = Math.Min(options.EffectiveRate, 200), DurationSeconds = 5 };
        await new LoadRun(cluster, new TimelineRecorder(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).RunAsync([warmUp], runDir, null, options.ActionAt, cancellationToken);

        var results = new List<(string Path, RunResult Result)>();
        foreach (var (label, path, suffix) in new[]
        {
            (options.Tls ? "gateways (TLS, mux)" : "gateways (TCP, mux)", ChatPath.Gateways, "g"),
            ("HAProxy (TLS, 1 conn/client)", ChatPath.Haproxy, "h"),
            ("direct to shards (TCP)", ChatPath.Direct, "d"),
        })
        {
            var runId = _runId + suffix;
            HaproxyFront? haproxy = null;
            try
            {
                if (path == ChatPath.Haproxy)
                {
                    var owners = OwnerEndpoints(cluster, runId, options.Couples).Keys.ToDictionary(c => c, c => cluster.Ring.OwnerOf(c)!.ShardId, StringComparer.Ordinal);
                    var (front, error) = await HaproxyFront.StartAsync(cluster, runDir, "haproxy", owners, CoupleNames.Couple(runId, 0).Length, cancellationToken);
                    if (front is null)
                    {
                        throw new InvalidOperationException(error);
                    }

                    haproxy = front;
                }

                output.WriteLine($"compare: {label}");
                var spec = ChatSpec(cluster, runId, path, haproxy?.Endpoint);
                var timeline = new TimelineRecorder(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                var outcome = await new LoadRun(cluster, timeline).RunAsync(Slices(spec), runDir, null, options.ActionAt, cancellationToken);
                var result = Result(outcome, LoadMode.Chat, [], new Dictionary<string, double>(StringComparer.Ordinal));
                results.Add((label, result));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compare: {label}: {result.MessagesPerSecond:0.#} msg/s, end-to-end p50 {result.EndToEnd.P50} ms p99 {result.EndToEnd.P99} ms, {(result.Passed ? "checks passed" : "checks FAILED")}"));
            }
            finally
            {
                if (haproxy is not null)
                {
                    await haproxy.DisposeAsync();
                }
            }
        }

        var direct = results[^1].Result;
        var rows = results.Select(r => new CompareRow(
            r.Path,
            r.Result.MessagesPerSecond,
            r.Result.EndToEnd,
            Ratio(r.Result.EndToEnd.P50, direct.EndToEnd.P50),
            Ratio(r.Result.EndToEnd.P99, direct.EndToEnd.P99),
            Ratio(r.Result.MessagesPerSecond, direct.MessagesPerSecond),
            r.Result.Passed)).ToArray();
        var main = results[0].Result;
        var failures = results.Where(r => !r.Result.Passed).SelectMany(r => r.Result.Failures.Select(f => $"{r.Path}: {f}")).ToArray();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.Path.Split(' ')[0].ToLowerInvariant();
            figures[$"{key}_p50_ms"] = row.EndToEnd.P50;
            figures[$"{key}_p99_ms"] = row.EndToEnd.P99;
            figures[$"{key}_msg_per_s"] = row.MessagesPerSecond;
        }

        return main with { Passed = failures.Length == 0, Failures = failures, Compare = rows, Figures = figures };
    }

    private static double Ratio(double value, double baseline) => baseline > 0 ? Math.Round(value / baseline, 2) : 0;
}
