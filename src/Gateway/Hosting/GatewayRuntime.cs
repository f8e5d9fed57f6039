using System.Diagnostics.Metrics;
using System.Net;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Edge;
using Chat.Gateway.Relay;
using Chat.Gateway.Routing;
using Chat.Gateway.Shards;
using Chat.Hosting.Startup;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;
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
/// then the client listener, then the ZooKeeper registration, so DNS updaters only see a gateway
/// that can route. Ops seams: <see cref="Listener"/> (stop accepting), <see cref="Clients"/>
/// (counts, GoAway to all), <see cref="Registration"/> (weight publishing).
/// </remarks>
internal sealed class GatewayRuntime(
    IOptions<GatewayOptions> gatewayOptions,
    IOptions<GatewayZooKeeperOptions> zooKeeperOptions,
    IOptions<GatewaySecurityOptions> securityOptions,
    IOptions<GatewayLimitsOptions> limitsOptions,
    IOptions<ShardPoolOptions> poolOptions,
    IEdgeTls edgeTls,
    IClientAdmission admission,
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
    private GatewayRegistration? _registration;
    private int _closed;

    public string GatewayId => _gateway.Id;

    public GatewayMetrics Metrics { get; } = new(meterFactory);

    public ClientRegistry Clients { get; } = new();

    public ClientListener? Listener { get; private set; }

    public ShardConnectionPool? Shards => _pool;

    public GatewayRegistration? Registration => _registration;

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
        var initializer = new ClientChannelInitializer(context, new TokenVerifier(tokenKeys, null, time), codec, tlsHandlers, admission);
        Listener = await ClientListener.BindAsync(_acceptors, _workers, listen, initializer, tlsHandlers is not null, _logger);

        _registration = new GatewayRegistration(
            _zooKeeper,
            new GatewayRegistrationOptions
            {
                Root = zk.Root,
                GatewayId = _gateway.Id,
                Host = AdvertisedHost(Listener.LocalEndPoint),
                Port = Listener.LocalEndPoint.Port,
            },
            () => new GatewayLoad(Clients.Count, 0, 100, Draining: !Listener.IsAccepting),
            loggerFactory.CreateLogger<GatewayRegistration>(),
            time);
        var registered = await _registration.RegisterAsync(cancellationToken).WaitAsync(StartWait, cancellationToken).ConfigureAwait(false);
        if (registered != MembershipResult.Ok)
        {
            GatewayLog.MembershipPending(_logger, "register gateway", registered.ToString());
        }

        _ = SweepAsync(_stopping.Token);
        var ring = _watcher.Current;
        GatewayLog.Ready(_logger, _gateway.Id, Listener.LocalEndPoint.ToString(), ring.Epoch, ring.Members.Length);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await CloseAsync();

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
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

    private string AdvertisedHost(IPEndPoint listen)
    {
        if (_gateway.AdvertiseHost is { Length: > 0 } host)
        {
            return host;
        }

        return listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : listen.Address.ToString();
    }
}
