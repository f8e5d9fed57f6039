using System.Diagnostics.Metrics;
using System.Net;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Chat.Gateway.Admission;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Edge;
using Chat.Gateway.Relay;
using Chat.Gateway.Routing;
using Chat.Gateway.Shards;
using Chat.Gateway.Weights;
using Chat.Hosting.Lifecycle;
using Chat.Hosting.Startup;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Gateway.Hosting;

/// <summary>
/// The running gateway: event loops, ZooKeeper session and ring watcher, mux connection pool,
/// client listener and registration. Started by the host.
/// </summary>
/// <remarks>
/// Start order: ring first (routing needs it; ZooKeeper down at start is waited for 5 s, then
/// the gateway starts anyway and /readyz says why), mux connections warmed up for every member,
/// then the client listener, and once the admin endpoint listens too (ApplicationStarted) the
/// ZooKeeper registration with its admin URL, so DNS updaters only see a gateway that can route.
/// Stop (SIGTERM) runs the drain first (<see cref="GatewayDrainProcedure"/>), then closes what is
/// left. Ops seams: <see cref="Listener"/>, <see cref="Clients"/>, <see cref="Presence"/>.
/// </remarks>
internal sealed class GatewayRuntime(
    IOptions<GatewayOptions> gatewayOptions,
    IOptions<GatewayZooKeeperOptions> zooKeeperOptions,
    IOptions<GatewaySecurityOptions> securityOptions,
    IOptions<GatewayLimitsOptions> limitsOptions,
    IOptions<ShardPoolOptions> poolOptions,
    IOptions<WeightOptions> weightOptions,
    IEdgeTls edgeTls,
    AdmissionController admission,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    TimeProvider time) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private readonly GatewayOptions _gateway = gatewayOptions.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Chat.Gateway");
    private readonly CancellationTokenSource _stopping = new();
    private IEventLoopGroup? _acceptors;
    private IEventLoopGroup? _workers;
    private ZooKeeperClient? _zooKeeper;
    private RingWatcher? _watcher;
    private ShardConnectionPool? _pool;
    private GatewayDirectory? _directory;
    private GatewayRegistration? _registration;
    private GatewayPresence? _presence;
    private GatewayLoadSampler? _sampler;
    private CancellationTokenRegistration _onStarted;
    private int _closed;

    public string GatewayId => _gateway.Id;

    public GatewayMetrics Metrics { get; } = new(meterFactory);

    public ClientRegistry Clients { get; } = new();

    public ClientListener? Listener { get; private set; }

    public ShardConnectionPool? Shards => _pool;

    public GatewayRegistration? Registration => _registration;

    /// <summary>This gateway's node in /chat/gateways (weight publishing, drain); null before start.</summary>
    public GatewayPresence? Presence => _presence;

    /// <summary>Every gateway of the cluster (GET /admin/weights); null before start.</summary>
    public GatewayDirectory? Directory => _directory;

    public ZooKeeperClient? ZooKeeper => _zooKeeper;

    public RingSnapshot Ring => _watcher?.Current ?? RingSnapshot.Empty;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var security = securityOptions.Value;
        if (!KeyFile.TryLoad(security.TokenKeyFile, out var tokenKeys, out var tokenError))
        {
            throw new ConfigurationException($"Security:TokenKeyFile: {tokenError.Message}");
        }

        if (!KeyFile.TryLoad(security.ClusterKeyFile, out var clusterKeys, out var clusterError))
        {
            throw new ConfigurationException($"Security:ClusterKeyFile: {clusterError.Message}");
        }

        if (!ListenAddress.TryParse(_gateway.Listen, out var listen))
        {
            throw new ConfigurationException($"Gateway:Listen '{_gateway.Listen}' is not an ip:port");
        }

        var tlsHandlers = _gateway.Tls ? edgeTls.CreateHandlerFactory() : null;
        var limits = limitsOptions.Value;
        var zk = zooKeeperOptions.Value;
        _acceptors = new MultithreadEventLoopGroup(1);
        _workers = new MultithreadEventLoopGroup(_gateway.EventLoops);
        _zooKeeper = new ZooKeeperClient(zk.ToClientOptions(), loggerFactory.CreateLogger<ZooKeeperClient>(), time);
        _watcher = new RingWatcher(_zooKeeper, new RingWatcherOptions { Root = zk.Root }, loggerFactory.CreateLogger<RingWatcher>(), time);

        var mux = new MuxClient(
            new MuxClientOptions
            {
                GatewayId = _gateway.Id,
                Keys = GatewaySecurityOptions.ToMuxKeys(clusterKeys),
                CreditMode = MuxCreditMode.Explicit,
                InitialStreamWindow = limits.StreamWindow,
            },
            _workers,
            loggerFactory);
        _pool = new ShardConnectionPool(mux.ConnectAsync, poolOptions.Value, loggerFactory.CreateLogger<ShardConnectionPool>(), time);
        _watcher.Changed += OnRingChanged;

        using (var startWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startWait.CancelAfter(StartWait);
            try
            {
                await _watcher.StartAsync(startWait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                GatewayLog.MembershipPending(_logger, "first ring read", "timed out");
            }
        }

        _pool.OnRingChanged(_watcher.Current);
        var context = new RelayContext(
            new WatchedRingSource(_watcher), _pool, limits, poolOptions.Value, Clients, Metrics, loggerFactory.CreateLogger("Chat.Gateway.Relay"), time);
        var codec = new PacketCodec(new FrameCodec(new FrameOptions { MaxFrameLength = limits.MaxFrame }));
        var initializer = new ClientChannelInitializer(
            context, new TokenVerifier(tokenKeys, null, time), codec, tlsHandlers, admission.CreateHandler);
        Listener = await ClientListener.BindAsync(_acceptors, _workers, listen, initializer, tlsHandlers is not null, _logger);

        _directory = new GatewayDirectory(_zooKeeper, new GatewayDirectoryOptions { Root = zk.Root }, loggerFactory.CreateLogger<GatewayDirectory>(), time);
        _ = _directory.StartAsync(_stopping.Token);
        _sampler = new GatewayLoadSampler(() => admission.Count, weightOptions.Value, time);
        _onStarted = lifetime.ApplicationStarted.Register(() => _ = RegisterAsync(_stopping.Token));
        _ = SweepAsync(_stopping.Token);
    }

    /// <summary>Host stop (SIGTERM, or the end of an admin drain): drain first, bounded by the host's shutdown timeout, then close.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DrainController>().DrainBeforeStopAsync(cancellationToken);
        await CloseAsync();
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _onStarted.DisposeAsync();
        if (Listener is not null)
        {
            await Listener.StopAcceptingAsync();
        }

        foreach (var session in Clients.Sessions())
        {
            session.Close(ErrorCode.ShuttingDown, "gateway stopping");
        }

        if (_pool is not null)
        {
            await _pool.DisposeAsync();
        }

        if (_registration is not null)
        {
            await _registration.DisposeAsync();
        }

        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }

        if (_watcher is not null)
        {
            _watcher.Changed -= OnRingChanged;
            await _watcher.DisposeAsync();
        }

        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }

        foreach (var group in new[] { _workers, _acceptors })
        {
            if (group is not null)
            {
                await group.ShutdownGracefullyAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
            }
        }

        Metrics.Dispose();
        GatewayLog.Stopped(_logger, _gateway.Id);
    }

    private void OnRingChanged(object? sender, RingChangedEventArgs e)
    {
        GatewayLog.RingChanged(_logger, e.Current.Epoch, e.Current.Members.Length);
        _pool?.OnRingChanged(e.Current);
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(SweepInterval, time, cancellationToken);
                _pool?.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Registers in /chat/gateways once the admin endpoint listens (its URL is published too).</summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var zk = zooKeeperOptions.Value;
        _registration = new GatewayRegistration(
            _zooKeeper!,
            new GatewayRegistrationOptions
            {
                Root = zk.Root,
                GatewayId = _gateway.Id,
                Host = AdvertisedHost(Listener!.LocalEndPoint.Address),
                Port = Listener.LocalEndPoint.Port,
                AdminUrl = AdminUrl(),
            },
            _sampler!.Sample,
            loggerFactory.CreateLogger<GatewayRegistration>(),
            time);
        _presence = new GatewayPresence(_registration, _sampler);
        try
        {
            var registered = await _registration!.RegisterAsync(cancellationToken).WaitAsync(StartWait, cancellationToken).ConfigureAwait(false);
            if (registered != MembershipResult.Ok)
            {
                // The registration keeps retrying on its own (session re-establishment re-creates the node).
                GatewayLog.MembershipPending(_logger, "register gateway", registered.ToString());
            }

            var ring = Ring;
            GatewayLog.Ready(_logger, _gateway.Id, Listener.LocalEndPoint.ToString(), ring.Epoch, ring.Members.Length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            GatewayLog.MembershipPending(_logger, "register gateway", "timed out");
        }
        catch (OperationCanceledException)
        {
            // Stopping before the registration finished.
        }
    }

    /// <summary>The admin URL other tools should use: the bound address, with a wildcard host replaced by the advertised one.</summary>
    private string? AdminUrl()
    {
        var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is null || !Uri.TryCreate(bound.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return bound;
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            return new UriBuilder(uri) { Host = AdvertisedHost(address) }.Uri.ToString();
        }

        return uri.ToString();
    }

    private string AdvertisedHost(IPAddress bound)
    {
        if (_gateway.AdvertiseHost is { Length: > 0 } host)
        {
            return host;
        }

        return bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : bound.ToString();
    }
}
