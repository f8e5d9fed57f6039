using System.Globalization;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// idle: open N connections per gateway (couples assigned to gateways round robin), hold them
/// without sending, and read each gateway's RSS (/proc/&lt;pid&gt;/status VmRSS) before connecting and
/// once everything is connected: bytes per connection.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private async Task<RunResult> IdleAsync(LocalCluster cluster, string runDir, CancellationToken cancellationToken)
    {
        var perGateway = options.Connections > 0 ? options.Connections : 10_000;
        var gateways = cluster.Gateways;
        var couples = Math.Max(1, perGateway * gateways.Count / 2);

        // Let the fresh processes finish JIT and first collections before the baseline.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = gateways.ToDictionary(g => g.Id, g => ProcessMemory.RssBytes(g.Process.Pid) ?? 0, StringComparer.Ordinal);
        var after = new Dictionary<string, long>(StringComparer.Ordinal);
        var connected = new Dictionary<string, double>(StringComparer.Ordinal);

        var spec = new LoadSpec
        {
            RunId = _runId,
            Mode = LoadMode.Idle,
            Couples = couples,
            DevicesPerUser = 1,
            Rate = 0,
            DurationSeconds = options.DurationSeconds,
            Tls = options.Tls,
            CaPath = cluster.Secrets.CaPath,
            TokenKeyPath = cluster.Secrets.TokenKeyPath,
            SourceAddresses = options.SourceAddresses,
            ConnectConcurrency = options.ConnectConcurrency,
            ConnectTimeoutSeconds = 300,
            Seed = options.Seed,
            Endpoints = [gateways[0].Clients.ToString()],
            CoupleEndpoints = Enumerable.Range(0, couples).ToDictionary(
                i => CoupleNames.Couple(_runId, i), i => gateways[i % gateways.Count].Clients.ToString(), StringComparer.Ordinal),
        };

        ChaosAction measure = async (note, ct) =>
        {
            foreach (var gateway in gateways)
            {
                after[gateway.Id] = ProcessMemory.RssBytes(gateway.Process.Pid) ?? 0;
                var metrics = await cluster.Admin.MetricsAsync(gateway.Admin, ct);
                connected[gateway.Id] = metrics is null ? 0 : AdminClient.SumMetric(metrics, "chat_gateway_connections");
            }

            note("RSS read");
            return null;
        };

        var timeline = new TimelineRecorder(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var outcome = await new LoadRun(cluster, timeline).RunAsync(Slices(spec), runDir, measure, 0.5, cancellationToken);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var perConnection = new List<double>();
        foreach (var gateway in gateways)
        {
            var count = connected.GetValueOrDefault(gateway.Id);
            var rssBefore = before[gateway.Id];
            var rssAfter = after.GetValueOrDefault(gateway.Id);
            figures[$"{gateway.Id}_connections"] = count;
            figures[$"{gateway.Id}_rss_before_mb"] = Math.Round(rssBefore / 1048576.0, 1);
            figures[$"{gateway.Id}_rss_after_mb"] = Math.Round(rssAfter / 1048576.0, 1);
            if (count > 0 && rssAfter > 0)
            {
                var bytes = Math.Round((rssAfter - rssBefore) / count);
                figures[$"{gateway.Id}_bytes_per_connection"] = bytes;
                perConnection.Add(bytes);
            }
        }

        if (perConnection.Count > 0)
        {
            figures["bytes_per_connection"] = Math.Round(perConnection.Average());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle: {perConnection.Average():N0} bytes of gateway RSS per connection ({perGateway:N0} connections per gateway, TLS {(options.Tls ? "on" : "off")})"));
        }

        var failures = perConnection.Count == gateways.Count ? [] : new[] { "could not read every gateway's RSS or connection count" };
        return Result(outcome, LoadMode.Idle, failures, figures);
    }
}
