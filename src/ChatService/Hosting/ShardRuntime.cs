using System.Diagnostics.Metrics;
using System.Net;
using Chat.ChatService.Chat;
using Chat.ChatService.Diagnostics;
using Chat.ChatService.Ownership;
using Chat.ChatService.Storage;
using Chat.ChatService.Transport;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Chat.Hosting.Lifecycle;
using Chat.Hosting.Startup;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.ChatService.Hosting;

/// <summary>
/// The running shard: Redis store, event loops, listeners, ZooKeeper session, ring watcher and
/// registration. Started by the host; stopped after the drain (SIGTERM drains first, see
/// <see cref="StopAsync"/>).
/// </summary>
/// <remarks>
/// Start order: store (returns even when Redis is down), ring watcher, listeners (their ports go
/// into the registration), then register and join the ring, so gateways only route here once the
/// shard can serve. ZooKeeper down at start does not fail the start: registration and ring reads
/// retry in the background and /readyz says why it is not ready.
/// </remarks>
internal sealed class ShardRuntime(
    IOptions<ShardOptions> shardOptions,
    IOptions<ShardZooKeeperOptions> zooKeeperOptions,
    IOptions<SecurityOptions> securityOptions,
    IOptions<ChatLimitsOptions> limitsOptions,
    IOptions<RedisStoreOptions> redisOptions,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    TimeProvider time) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private readonly ShardOptions _shard = shardOptions.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Chat.ChatService.Shard");
    private readonly ShardMetrics _metrics = new(meterFactory);
    private readonly List<IChannel> _listeners = [];
    private RedisChatStore? _store;
    private ZooKeeperClient? _zooKeeper;
    private RingWatcher? _watcher;
    private IRingView? _ring;
    private ShardRegistration? _registration;
    private CoupleRegistry? _registry;
    private IEventLoopGroup? _acceptors;
    private IEventLoopGroup? _workers;
    private MuxServerInitializer? _mux;
    private MuxListener? _muxListener;
    private int _connectionsClosed;
    private int _closed;

    public string ShardId => _shard.Id;

    public ShardMetrics Metrics => _metrics;

    public IPEndPoint? DirectEndPoint { get; private set; }

    public IPEndPoint? MuxEndPoint { get; private set; }

    public IChatStore? Store => _store;

    public ZooKeeperClient? ZooKeeper => _zooKeeper;

    public ShardRegistration? Registration => _registration;

    public RingSnapshot Ring => _ring?.Current ?? RingSnapshot.Empty;

    public int Couples => _registry?.Count ?? 0;

    /// <summary>Gateways' mux connections open now.</summary>
    public int MuxConnections => _mux?.ConnectionCount ?? 0;

    /// <summary>Mux streams open now over all gateway connections (authenticated or not yet).</summary>
    public int OpenStreams => _mux?.StreamCount ?? 0;

    /// <summary>Direct client connections open now.</summary>
    public long DirectConnections => _metrics.Connections - _metrics.Streams;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var limits = limitsOptions.Value;
        if (!KeyFile.TryLoad(securityOptions.Value.TokenKeyFile, out var tokenKeys, out var keyError))
        {
            throw new ConfigurationException($"Security:TokenKeyFile: {keyError.Message}");
        }

        if (!KeyFile.TryLoad(securityOptions.Value.ClusterKeyFile, out var clusterKeys, out var clusterKeyError))
        {
            throw new ConfigurationException($"Security:ClusterKeyFile: {clusterKeyError.Message}");
        }

        if (!ListenAddress.TryParse(_shard.MuxListen, out var muxAddress))
        {
            throw new ConfigurationException($"Shard:MuxListen '{_shard.MuxListen}' is not an ip:port");
        }

        _store = await RedisChatStore.ConnectAsync(redisOptions.Value, loggerFactory, meterFactory, cancellationToken);
        var zk = zooKeeperOptions.Value;
        _zooKeeper = new ZooKeeperClient(zk.ToClientOptions(), loggerFactory.CreateLogger<ZooKeeperClient>(), time);
        _watcher = new RingWatcher(_zooKeeper, new RingWatcherOptions { Root = zk.Root }, loggerFactory.CreateLogger<RingWatcher>(), time);
        _ring = new WatchedRingView(_watcher);

        var ownership = new CoupleOwnership(_ring, _shard.Id, limits.OwnershipWait);
        var chat = new ChatServices(_store, new TokenVerifier(tokenKeys, null, time), ownership, limits, time, _logger, _metrics);
        _acceptors = new DotNetty.Transport.Channels.MultithreadEventLoopGroup(1);
        _workers = new DotNetty.Transport.Channels.MultithreadEventLoopGroup(_shard.EventLoops);
        _registry = new CoupleRegistry([.. _workers.Items], chat);
        _metrics.ObserveCouples(() => _registry.Count);
        _ring.Changed += OnRingChanged;

        var initializer = new ChatChannelInitializer(chat, _registry, new PacketCodec(new FrameCodec(limits.ToFrameOptions())));
        if (_shard.DirectListen is { Length: > 0 } direct && ListenAddress.TryParse(direct, out var directAddress))
        {
            var channel = await DirectListener.BindAsync(_acceptors, _workers, directAddress, initializer);
            _listeners.Add(channel);
            DirectEndPoint = Normalize((IPEndPoint)channel.LocalAddress);
            ShardLog.Listening(_logger, _shard.Id, "direct", DirectEndPoint.ToString());
        }

        // Gateways: each mux stream gets the very same chat pipeline as a direct connection.
        var admission = new StreamAdmission(ownership, _metrics);
        _mux = new MuxServerInitializer(
            new MuxServerOptions { ShardId = _shard.Id, Keys = ClusterKeys.ToMuxKeyRing(clusterKeys) },
            initializer,
            admission.Admit,
            loggerFactory);
        _muxListener = new MuxListener(_mux);
        var muxChannel = await _muxListener.BindAsync(_acceptors, _workers, muxAddress);
        _listeners.Add(muxChannel);
        MuxEndPoint = Normalize((IPEndPoint)muxChannel.LocalAddress);
        ShardLog.Listening(_logger, _shard.Id, "mux", MuxEndPoint.ToString());

        using var startWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startWait.CancelAfter(StartWait);
        await _watcher.StartAsync(startWait.Token);

        _registration = new ShardRegistration(_zooKeeper, new ShardRegistrationOptions
        {
            Root = zk.Root,
            ShardId = _shard.Id,
            Host = AdvertisedHost(muxAddress),
            MuxPort = MuxEndPoint.Port,
            DirectPort = DirectEndPoint?.Port,
            Weight = _shard.Weight,
        }, loggerFactory.CreateLogger<ShardRegistration>(), time);

        var joined = await _registration.JoinRingAsync(cancellationToken).WaitAsync(StartWait, cancellationToken).ConfigureAwait(false);
        if (joined == MembershipResult.Ok)
        {
            var ring = await _watcher.WaitForAsync(r => r.Find(_shard.Id) is not null, StartWait, cancellationToken);
            ShardLog.Ready(_logger, _shard.Id, ring?.Epoch ?? -1);
        }
        else
        {
            ShardLog.MembershipPending(_logger, "join ring", joined.ToString());
        }
    }

    /// <summary>Host stop (SIGTERM or the end of an admin drain): drain first, then close everything.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DrainController>().DrainBeforeStopAsync(cancellationToken);
        await CloseAsync();
    }

    /// <summary>Leaves the ring (drain step 1): gateways move the streams, the ring change resets what is left here.</summary>
    public Task<MembershipResult> LeaveRingAsync(CancellationToken cancellationToken) =>
        _registration?.LeaveRingAsync(cancellationToken) ?? Task.FromResult(MembershipResult.Ok);

    /// <summary>
    /// Tells every gateway connection this shard takes no new streams (GoAway Draining); the open
    /// streams go on until the ring change resets them with Moved or their clients leave.
    /// </summary>
    public Task GoAwayAsync(GoAwayReason reason, string text) => _mux?.GoAwayAsync(reason, text) ?? Task.CompletedTask;

    /// <summary>Stops accepting, closes every gateway connection and client connection, and stops the event loops (once).</summary>
    public async Task CloseConnectionsAsync()
    {
        if (Interlocked.Exchange(ref _connectionsClosed, 1) == 1)
        {
            return;
        }

        foreach (var listener in _listeners)
        {
            await listener.CloseAsync();
        }

        _listeners.Clear();
        if (_mux is not null && _muxListener is not null)
        {
            // Gateways hear why (GoAway Shutdown, unless a drain already sent Draining) and see the
            // connections close at once, rather than waiting for their pings to time out.
            await Task.WhenAny(_mux.GoAwayAsync(GoAwayReason.Shutdown, "shard stopping"), Task.Delay(CloseWait)).ConfigureAwait(false);
            await _muxListener.CloseConnectionsAsync(CloseWait).ConfigureAwait(false);
        }

        if (_workers is not null)
        {
            await _workers.ShutdownGracefullyAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        }

        if (_acceptors is not null)
        {
            await _acceptors.ShutdownGracefullyAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Deletes the ring and shard nodes (drain's last step).</summary>
    public Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken) =>
        _registration?.DeregisterAsync(cancellationToken) ?? Task.FromResult(MembershipResult.Ok);

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        await CloseConnectionsAsync();
        if (_registration is not null)
        {
            await _registration.DisposeAsync();
        }

        if (_watcher is not null)
        {
            await _watcher.DisposeAsync();
        }

        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _metrics.Dispose();
        ShardLog.Stopped(_logger, _shard.Id);
    }

    private void OnRingChanged(RingSnapshot ring)
    {
        ShardLog.RingChanged(_logger, ring.Epoch, ring.Members.Length, ring.Find(_shard.Id) is null ? "not in it" : "in it");
        _registry?.EnforceOwnership(ring);
    }

    // DotNetty binds dual-mode sockets: report 127.0.0.1:p, not [::ffff:127.0.0.1]:p.
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private string AdvertisedHost(IPEndPoint mux)
    {
        if (_shard.AdvertiseHost is { Length: > 0 } host)
        {
            return host;
        }

        return mux.Address.Equals(IPAddress.Any) || mux.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : mux.Address.ToString();
    }
}
