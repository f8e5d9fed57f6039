using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// Runs one scenario end to end: run directory and secrets, the local cluster, the load (and the
/// scenario's action), the checks, the JSON and HTML reports. Exit code 0 only when the scenario's
/// own checks pass; 1 when they fail; 2 when it could not run (configuration, a process that did
/// not start).
/// </summary>
internal sealed partial class ScenarioRunner(RunOptions options, TextWriter output)
{
    private readonly string _runId = "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (RepoLayout.Find(out var problem) is not { } layout)
        {
            output.WriteLine("loadtest: " + problem);
            return 2;
        }

        var name = ScenarioNames.Of(options.Scenario) + (options.Compare ? "-compare" : string.Empty);
        var runDir = options.RunDir ?? Path.Combine(layout.Root, ".run", "loadtest", $"{name}-{_startedAt:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(runDir);
        runDir = Path.GetFullPath(runDir);
        string[] budget = options.Scenario is ScenarioKind.Idle or ScenarioKind.Storm && !options.KeepHandshakeBudget
            ? ["--Limits:FullHandshakesPerSecond", "0"]
            : [];
        var clusterOptions = new LocalClusterOptions
        {
            ZooKeeper = options.ZooKeeper,
            Redis = options.Redis,
            RunDir = runDir,
            ZooKeeperRoot = "/chat-" + _runId,
            Shards = options.Shards,
            Gateways = options.Gateways,
            Tls = options.Tls,
            EventLoops = options.EventLoops,
            GatewayArgs = [.. budget, .. options.GatewayArgs],
            ShardArgs = options.ShardArgs,
        };

        output.WriteLine($"loadtest {name}: run {_runId}, {options.Shards} shards and {options.Gateways} gateways starting (logs in {runDir})");
        await using var cluster = new LocalCluster(clusterOptions, layout);
        if (await cluster.StartAsync(cancellationToken) is { } error)
        {
            output.WriteLine("loadtest: " + error);
            return 2;
        }

        output.WriteLine($"cluster up after {_clock.Elapsed.TotalSeconds:0.0} s: shards {string.Join(", ", cluster.Shards.Select(s => $"{s.Id} {s.Direct}"))}; gateways {string.Join(", ", cluster.Gateways.Select(g => $"{g.Id} {g.Clients}"))}");
        RunResult result;
        try
        {
            result = options.Scenario switch
            {
                ScenarioKind.Idle => await IdleAsync(cluster, runDir, cancellationToken),
                ScenarioKind.Storm => await StormAsync(cluster, runDir, cancellationToken),
                ScenarioKind.Chat when options.Compare => await CompareAsync(cluster, layout, runDir, cancellationToken),
                _ => await ChatAsync(cluster, runDir, cancellationToken),
            };
        }
        catch (InvalidOperationException ex)
        {
            output.WriteLine("loadtest: " + ex.Message);
            return 2;
        }

        var jsonPath = Path.Combine(runDir, "result.json");
        var htmlPath = Path.Combine(runDir, "report.html");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(result, ResultJson.Default.RunResult), cancellationToken);
        await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(result), cancellationToken);
        SummaryPrinter.Print(result, jsonPath, htmlPath, output);
        return result.Passed ? 0 : 1;
    }

    private async Task<RunResult> ChatAsync(LocalCluster cluster, string runDir, CancellationToken cancellationToken)
    {
        var template = ChatSpec(cluster, _runId, options.Gateways > 0 ? ChatPath.Gateways : ChatPath.Direct);
        var timeline = new TimelineRecorder(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var run = new LoadRun(cluster, timeline);
        var action = ChaosFor(options.Scenario, cluster);
        var outcome = await run.RunAsync(Slices(template), runDir, action, options.ActionAt, cancellationToken);

        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var failures = new List<string>();
        if (outcome.ActionAt is { } at)
        {
            figures["action_at_seconds"] = at;
            figures["recovery_seconds"] = RecoveryTime.After(outcome.Timeline, at) ?? -1;
        }

        var reconnects = outcome.Workers.Sum(w => w.Reconnects);
        if (ScenarioNames.IsPlannedRingChange(options.Scenario) && reconnects > 0)
        {
            failures.Add($"a planned ring change caused {reconnects} client reconnects (goal 0)");
        }

        figures["ring_epochs"] = cluster.RingChanges.Count;
        return Result(outcome, LoadMode.Chat, failures, figures);
    }

    /// <summary>The chat load of the options along <paramref name="path"/>: gateways, straight to the owning shards, or a HAProxy endpoint.</summary>
    private LoadSpec ChatSpec(LocalCluster cluster, string runId, ChatPath path, string? haproxy = null)
    {
        var spec = new LoadSpec
        {
            RunId = runId,
            Mode = LoadMode.Chat,
            Couples = options.Couples,
            DevicesPerUser = options.DevicesPerUser,
            Rate = options.EffectiveRate,
            DurationSeconds = options.DurationSeconds,
            MessageBytes = options.MessageBytes,
            CaPath = cluster.Secrets.CaPath,
            TokenKeyPath = cluster.Secrets.TokenKeyPath,
            SourceAddresses = options.SourceAddresses,
            ConnectConcurrency = options.ConnectConcurrency,
            Seed = options.Seed,
        };
        return path switch
        {
            ChatPath.Gateways => spec with { Tls = options.Tls, Endpoints = [.. cluster.Gateways.Select(g => g.Clients.ToString())] },
            ChatPath.Haproxy => spec with { Tls = true, Endpoints = [haproxy!] },
            _ => spec with { Tls = false, Endpoints = [.. cluster.Shards.Select(s => s.Direct.ToString())], CoupleEndpoints = OwnerEndpoints(cluster, runId, options.Couples) },
        };
    }

    /// <summary>Couple id to the direct endpoint of its owner at the current ring epoch.</summary>
    private static Dictionary<string, string> OwnerEndpoints(LocalCluster cluster, string runId, int couples)
    {
        var ring = cluster.Ring;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < couples; i++)
        {
            var couple = CoupleNames.Couple(runId, i);
            if (ring.OwnerOf(couple) is { } owner && cluster.AllShards.TryGetValue(owner.ShardId, out var shard))
            {
                map[couple] = shard.Direct.ToString();
            }
        }

        return map;
    }

    /// <summary>Splits a load into worker slices of at most <see cref="RunOptions.ConnectionsPerWorker"/> connections.</summary>
    internal IReadOnlyList<LoadSpec> Slices(LoadSpec template)
    {
        var devices = template.Couples * 2 * template.DevicesPerUser;
        var workers = options.Workers > 0 ? options.Workers : Math.Max(1, (devices + RunOptions.ConnectionsPerWorker - 1) / RunOptions.ConnectionsPerWorker);

        // Connecting is bounded, but by more for big loads: on this shared machine 2,000 TLS
        // connections took 10-20 s, so allow 50 connections per second plus a minute.
        var connectBound = Math.Max(template.ConnectTimeoutSeconds, 60 + (devices / 50.0));
        return SliceEvenly(template with { ConnectTimeoutSeconds = connectBound }, workers);
    }

    internal static IReadOnlyList<LoadSpec> SliceEvenly(LoadSpec template, int workers)
    {
        workers = Math.Clamp(workers, 1, Math.Max(1, template.Couples));
        var slices = new List<LoadSpec>();
        var first = template.FirstCouple;
        for (var i = 0; i < workers; i++)
        {
            var couples = (template.Couples / workers) + (i < template.Couples % workers ? 1 : 0);
            slices.Add(template with { FirstCouple = first, Couples = couples, Rate = template.Rate * couples / template.Couples, Seed = template.Seed + i });
            first += couples;
        }

        return slices;
    }

    private RunResult Result(LoadOutcome outcome, LoadMode mode, IEnumerable<string> failures, IReadOnlyDictionary<string, double> figures) =>
        ResultBuilder.Build(
            ScenarioNames.Of(options.Scenario) + (options.Compare ? " --compare" : string.Empty),
            _runId,
            _startedAt,
            _clock.Elapsed.TotalSeconds,
            outcome,
            mode,
            Settings(),
            failures,
            figures);

    private Dictionary<string, string> Settings() => new(StringComparer.Ordinal)
    {
        ["couples"] = options.Couples.ToString(CultureInfo.InvariantCulture),
        ["devices per user"] = options.DevicesPerUser.ToString(CultureInfo.InvariantCulture),
        ["rate (msg/s)"] = options.EffectiveRate.ToString(CultureInfo.InvariantCulture),
        ["duration (s)"] = options.DurationSeconds.ToString(CultureInfo.InvariantCulture),
        ["message bytes"] = options.MessageBytes.ToString(CultureInfo.InvariantCulture),
        ["shards"] = options.Shards.ToString(CultureInfo.InvariantCulture),
        ["gateways"] = options.Gateways.ToString(CultureInfo.InvariantCulture),
        ["tls"] = options.Tls ? "yes" : "no",
        ["connections (idle/storm)"] = options.Connections.ToString(CultureInfo.InvariantCulture),
        ["source addresses"] = options.SourceAddresses.ToString(CultureInfo.InvariantCulture),
        ["zookeeper"] = options.ZooKeeper,
        ["redis"] = options.Redis,
        ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
    };
}
