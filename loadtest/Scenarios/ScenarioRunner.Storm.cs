using System.Globalization;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// storm: connect N devices to one gateway as fast as the connect concurrency allows, twice: with
/// full TLS handshakes (resumption off in the clients), then with resumption (after a warm-up
/// connection filled the clients' session cache). Prints handshakes per second and the time until
/// all were up; the gateway's own counter says how many handshakes really resumed.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private const string ResumedFilter = "resumed=\"true\"";
    private const string SucceededFilter = "outcome=\"succeeded\"";

    private async Task<RunResult> StormAsync(LocalCluster cluster, string runDir, CancellationToken cancellationToken)
    {
        var total = options.Connections > 0 ? options.Connections : 5_000;
        var gateway = cluster.Gateways[0];
        var timeline = new TimelineRecorder(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var run = new LoadRun(cluster, timeline);
        var template = new LoadSpec
        {
            RunId = _runId,
            Mode = LoadMode.Storm,
            Couples = Math.Max(1, total / 2),
            DevicesPerUser = 1,
            Rate = 0,
            DurationSeconds = 1,
            Tls = options.Tls,
            CaPath = cluster.Secrets.CaPath,
            TokenKeyPath = cluster.Secrets.TokenKeyPath,
            SourceAddresses = options.SourceAddresses,
            ConnectConcurrency = options.ConnectConcurrency,
            ConnectTimeoutSeconds = 300,
            Seed = options.Seed,
            Endpoints = [gateway.Clients.ToString()],
        };

        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var workers = new List<WorkerResult>();
        var events = new List<TimelineEvent>();
        foreach (var (round, resumption) in new[] { ("full", false), ("resumed", true) })
        {
            if (resumption)
            {
                // One connection fills this process's TLS session cache for the gateway's name.
                var warm = template with { RunId = _runId + "w", Couples = 1, TlsResumption = true };
                await WorkerPool.RunAsync([warm], new TimelineRecorder(timeline.StartUnixMs), runDir, cancellationToken);
            }

            var handshakesBefore = await HandshakesAsync(cluster, gateway, SucceededFilter, cancellationToken);
            var resumedBefore = await HandshakesAsync(cluster, gateway, ResumedFilter, cancellationToken);
            run.Note("action", $"storm with {round} handshakes");
            var outcome = await run.RunAsync(Slices(template with { RunId = _runId + round[0], TlsResumption = resumption }), runDir, null, 0.5, cancellationToken);
            var result = outcome.Workers;
            workers.AddRange(result);
            events.AddRange(outcome.Events);
            var devices = result.Sum(w => w.Devices) - result.Sum(w => w.ConnectFailures);
            var seconds = result.Max(w => w.ConnectSeconds);
            var handshakes = await HandshakesAsync(cluster, gateway, SucceededFilter, cancellationToken) - handshakesBefore;
            var resumed = await HandshakesAsync(cluster, gateway, ResumedFilter, cancellationToken) - resumedBefore;
            figures[$"{round}_connections"] = devices;
            figures[$"{round}_seconds_until_all_up"] = Math.Round(seconds, 3);
            figures[$"{round}_connections_per_second"] = seconds > 0 ? Math.Round(devices / seconds, 1) : 0;
            figures[$"{round}_gateway_handshakes"] = handshakes;
            figures[$"{round}_handshakes_per_second"] = seconds > 0 ? Math.Round(handshakes / seconds, 1) : 0;
            figures[$"{round}_gateway_resumed_share"] = handshakes > 0 ? Math.Round(resumed / handshakes, 3) : 0;
            var connect = LatencySummary.From(ResultBuilder.Merge(result.Select(w => w.Connect)));
            figures[$"{round}_connect_p50_ms"] = connect.P50;
            figures[$"{round}_connect_p99_ms"] = connect.P99;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storm ({round}): {devices:N0} connections in {seconds:0.00} s = {figures[$"{round}_connections_per_second"]:N0}/s (TLS + Auth); gateway handshakes {handshakes:N0} = {figures[$"{round}_handshakes_per_second"]:N0}/s, resumed share {figures[$"{round}_gateway_resumed_share"]:P0}; connect p50 {connect.P50} ms p99 {connect.P99} ms"));
        }

        var merged = new LoadOutcome(workers, timeline.Build(), [.. events.DistinctBy(e => (e.T, e.Label))], 0, null, null);
        return Result(merged, LoadMode.Storm, [], figures);
    }

    private static async Task<double> HandshakesAsync(LocalCluster cluster, GatewayNode gateway, string? filter, CancellationToken cancellationToken)
    {
        var metrics = await cluster.Admin.MetricsAsync(gateway.Admin, cancellationToken);
        // The full name's end: the runtime's own meters also export "..._total_tls_handshakes".
        return metrics is null ? 0 : AdminClient.SumMetric(metrics, "chat_gateway_tls_handshakes", filter);
    }
}
