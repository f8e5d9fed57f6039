using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;

namespace Chat.LoadTest.Cluster;

/// <summary>
/// A local cluster of shard and gateway processes started from the built assemblies, on loopback
/// port 0, against a given ZooKeeper and Redis. It watches the ring itself (same code as the
/// servers) to record ring epochs on the run's time axis and to know which shard owns a couple.
/// Every process is stopped by PID on dispose.
/// </summary>
internal sealed partial class LocalCluster : IAsyncDisposable
{
    private readonly LocalClusterOptions _options;
    private readonly RepoLayout _layout;
    private readonly ConcurrentDictionary<string, ShardNode> _shards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GatewayNode> _gateways = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RingChange> _ringChanges = new();
    private readonly List<ServerProcess> _all = [];
    private readonly Lock _allLock = new();
    private ZooKeeperClient? _zooKeeper;
    private RingWatcher? _ring;
    private int _nextShard;
    private int _nextGateway;

    public LocalCluster(LocalClusterOptions options, RepoLayout layout)
    {
        _options = options;
        _layout = layout;
        Secrets = ClusterSecrets.Create(options.RunDir);
        Admin = new AdminClient();
    }

    public ClusterSecrets Secrets { get; }

    public AdminClient Admin { get; }

    public LocalClusterOptions Options => _options;

    /// <summary>Shards running now, by id order.</summary>
    public IReadOnlyList<ShardNode> Shards => [.. _shards.Values.Where(s => !s.Process.HasExited).OrderBy(s => s.Id, StringComparer.Ordinal)];

    /// <summary>Gateways running now, by id order.</summary>
    public IReadOnlyList<GatewayNode> Gateways => [.. _gateways.Values.Where(g => !g.Process.HasExited).OrderBy(g => g.Id, StringComparer.Ordinal)];

    /// <summary>Every shard ever started (also killed ones), for direct-port lookups by id.</summary>
    public IReadOnlyDictionary<string, ShardNode> AllShards => _shards;

    /// <summary>The ring as the harness's own watch sees it now.</summary>
    public RingSnapshot Ring => _ring?.Current ?? RingSnapshot.Empty;

    /// <summary>Ring epochs seen so far, oldest first.</summary>
    public IReadOnlyList<RingChange> RingChanges => [.. _ringChanges];

    /// <summary>Starts the ring watch, the shards, then the gateways (in parallel within each kind); a reason when something did not start.</summary>
    public async Task<string?> StartAsync(CancellationToken cancellationToken)
    {
        _zooKeeper = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = _options.ZooKeeper, SessionTimeout = TimeSpan.FromSeconds(10) });
        _ring = new RingWatcher(_zooKeeper, new RingWatcherOptions { Root = _options.ZooKeeperRoot, CreateLayout = true });
        _ring.Changed += (_, e) => Record(e.Current);
        using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bound.CancelAfter(TimeSpan.FromSeconds(30));
            if (!await _ring.StartAsync(bound.Token))
            {
                return $"could not watch the ring in ZooKeeper {_options.ZooKeeper}";
            }
        }

        Record(_ring.Current);
        var shardStarts = await Task.WhenAll(Enumerable.Range(0, _options.Shards).Select(_ => AddShardAsync(cancellationToken)));
        if (shardStarts.FirstOrDefault(s => s.Error is not null) is { Error: { } shardError })
        {
            return shardError;
        }

        var ready = await _ring.WaitForAsync(r => r.Members.Length == _options.Shards, TimeSpan.FromSeconds(30), cancellationToken);
        if (ready is null)
        {
            return $"the ring never had {_options.Shards} members";
        }

        var gatewayStarts = await Task.WhenAll(Enumerable.Range(0, _options.Gateways).Select(_ => AddGatewayAsync(cancellationToken)));
        return gatewayStarts.FirstOrDefault(g => g.Error is not null).Error;
    }

    /// <summary>Starts one more shard (ids s1, s2, ...) and waits until it is in the ring.</summary>
    public async Task<(ShardNode? Node, string? Error)> AddShardAsync(CancellationToken cancellationToken)
    {
        var id = "s" + Interlocked.Increment(ref _nextShard).ToString(CultureInfo.InvariantCulture);
        string[] args =
        [
            "--shard-id", id,
            "--zk", _options.ZooKeeper,
            "--zk-root", _options.ZooKeeperRoot,
            "--zk-session-timeout", _options.SessionTimeout.ToString("c", CultureInfo.InvariantCulture),
            "--redis", _options.Redis,
            "--token-keys", Secrets.TokenKeyPath,
            "--cluster-key", Secrets.ClusterKeyPath,
            "--direct-listen", "127.0.0.1:0",
            "--mux-listen", "127.0.0.1:0",
            "--admin", "http://127.0.0.1:0",
            "--event-loops", _options.EventLoops.ToString(CultureInfo.InvariantCulture),
            .. _options.ShardArgs,
        ];
        var process = Track(ServerProcess.Start(_layout.ShardDll, args, "shard " + id, Path.Combine(_options.RunDir, $"shard-{id}.log"), new Dictionary<string, Regex>
        {
            ["direct"] = DirectLine(),
            ["mux"] = MuxLine(),
            ["admin"] = AdminLine(),
            ["ready"] = ShardReadyLine(),
        }));
        if (await process.WaitForCapturesAsync(_options.StartTimeout, cancellationToken) is { } problem)
        {
            return (null, problem);
        }

        var node = new ShardNode(id, process, IPEndPoint.Parse(process.Captured("direct").Result), IPEndPoint.Parse(process.Captured("mux").Result), new Uri(process.Captured("admin").Result));
        _shards[id] = node;
        return (node, null);
    }

    /// <summary>Starts one more gateway (ids g1, g2, ...) and waits until it is registered and ready.</summary>
    public async Task<(GatewayNode? Node, string? Error)> AddGatewayAsync(CancellationToken cancellationToken)
    {
        var id = "g" + Interlocked.Increment(ref _nextGateway).ToString(CultureInfo.InvariantCulture);
        string[] tls = _options.Tls ? ["--tls", "true", "--cert", Secrets.CertificatePath, "--key", Secrets.KeyPath] : ["--tls", "false"];

        // Shared ticket keys need the OpenSsl engine (the default); a run that picks another engine gets none.
        string[] tickets = _options.Tls && !_options.GatewayArgs.Any(a => a.Contains("Tls:Engine", StringComparison.OrdinalIgnoreCase))
            ? ["--Tls:TicketKeyFile", Secrets.TicketKeyPath]
            : [];
        string[] args =
        [
            "--gateway-id", id,
            "--listen", "127.0.0.1:0",
            "--zk", _options.ZooKeeper,
            "--zk-root", _options.ZooKeeperRoot,
            "--zk-session-timeout", _options.SessionTimeout.ToString("c", CultureInfo.InvariantCulture),
            "--token-keys", Secrets.TokenKeyPath,
            "--cluster-key", Secrets.ClusterKeyPath,
            "--admin", "http://127.0.0.1:0",
            "--event-loops", _options.EventLoops.ToString(CultureInfo.InvariantCulture),
            .. tls,
            .. tickets,

            // A harness drain must finish within a run: GoAways spread over 5 s instead of 60 s.
            "--Drain:GoAwayDelay", "00:00:01",
            "--Drain:GoAwayWindow", "00:00:05",
            "--Drain:ReconnectWithin", "00:00:05",
            "--Drain:CloseGrace", "00:00:05",
            "--Drain:QuietPeriod", "00:00:01",
            .. _options.GatewayArgs,
        ];
        var process = Track(ServerProcess.Start(_layout.GatewayDll, args, "gateway " + id, Path.Combine(_options.RunDir, $"gateway-{id}.log"), new Dictionary<string, Regex>
        {
            ["clients"] = ClientsLine(),
            ["admin"] = AdminLine(),
            ["ready"] = GatewayReadyLine(),
        }));
        if (await process.WaitForCapturesAsync(_options.StartTimeout, cancellationToken) is { } problem)
        {
            return (null, problem);
        }

        var node = new GatewayNode(id, process, IPEndPoint.Parse(process.Captured("clients").Result), new Uri(process.Captured("admin").Result));
        _gateways[id] = node;
        return (node, null);
    }

    /// <summary>
    /// Drains a shard (POST /admin/drain: it leaves the ring, gateways move its streams) and waits
    /// for the process to exit; false when it did not exit within <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> DrainShardAsync(ShardNode shard, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await Admin.StartDrainAsync(shard.Admin, cancellationToken))
        {
            return false;
        }

        return await shard.Process.WaitForExitAsync(timeout);
    }

    /// <summary>Drains a gateway (GoAway to its clients, spread over a few seconds) and waits for it to exit.</summary>
    public async Task<bool> DrainGatewayAsync(GatewayNode gateway, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await Admin.StartDrainAsync(gateway.Admin, cancellationToken))
        {
            return false;
        }

        return await gateway.Process.WaitForExitAsync(timeout);
    }

    /// <summary>The sum of a metric over every running gateway's /metrics (0 for a gateway that does not answer).</summary>
    public async Task<double> GatewayMetricAsync(string suffix, string? labelFilter, CancellationToken cancellationToken)
    {
        var texts = await Task.WhenAll(Gateways.Select(g => Admin.MetricsAsync(g.Admin, cancellationToken)));
        return texts.Where(t => t is not null).Sum(t => AdminClient.SumMetric(t!, suffix, labelFilter));
    }

    public async ValueTask DisposeAsync()
    {
        ServerProcess[] all;
        lock (_allLock)
        {
            all = [.. _all];
        }

        // Stop clients' servers first (gateways), then shards: by PID, in parallel.
        await Task.WhenAll(all.Select(p => p.DisposeAsync().AsTask()));
        if (_ring is not null)
        {
            await _ring.DisposeAsync();
        }

        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }

        Admin.Dispose();
    }

    private ServerProcess Track(ServerProcess process)
    {
        lock (_allLock)
        {
            _all.Add(process);

            // For the calling script: if this harness is killed before it can stop its servers, the
            // script's cleanup stops them by these PIDs.
            File.AppendAllText(Path.Combine(_options.RunDir, "server-pids"), $"{process.Pid.ToString(CultureInfo.InvariantCulture)} {process.Name}\n");
        }

        return process;
    }

    private void Record(RingSnapshot ring)
    {
        if (ring.Epoch < 0 || _ringChanges.Any(c => c.Epoch == ring.Epoch))
        {
            return;
        }

        _ringChanges.Enqueue(new RingChange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ring.Epoch, [.. ring.Members.Select(m => m.ShardId)]));
    }

    [GeneratedRegex(@"listening for direct connections on (\S+)")]
    private static partial Regex DirectLine();

    [GeneratedRegex(@"listening for mux connections on (\S+)")]
    private static partial Regex MuxLine();

    [GeneratedRegex(@"Admin endpoint listening on (\S+)")]
    private static partial Regex AdminLine();

    [GeneratedRegex(@"ready: registered and in the ring")]
    private static partial Regex ShardReadyLine();

    [GeneratedRegex(@"Client listener on (\S+) \(")]
    private static partial Regex ClientsLine();

    [GeneratedRegex(@"Gateway \S+ ready: clients on")]
    private static partial Regex GatewayReadyLine();
}
