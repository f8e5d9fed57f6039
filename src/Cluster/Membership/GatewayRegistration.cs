using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>
/// A gateway's presence in ZooKeeper: the ephemeral /chat/gateways/&lt;id&gt; whose data (address,
/// connections, CPU, weight, draining) is sampled from a load provider on a timer and written when
/// it changed, with a conditional setData so a node of another session is never overwritten.
/// Re-created after a session expiry.
/// </summary>
public sealed class GatewayRegistration : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly GatewayRegistrationOptions _options;
    private readonly Func<GatewayLoad> _load;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EphemeralNode _node;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SignalLoop _publisher;
    private readonly CancellationTokenSource _stop = new();
    private Task? _timer;
    private bool _wantRegistered;
    private long _ownedBySession;
    private int _version;
    private byte[]? _written;
    private GatewayNodeData? _published;
    private int _disposed;

    /// <param name="client">The process's ZooKeeper client.</param>
    /// <param name="options">Identity and timing.</param>
    /// <param name="load">Samples the current load; called on the publishing loop, must be quick.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock for the refresh timer.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public GatewayRegistration(
        ZooKeeperClient client, GatewayRegistrationOptions options, Func<GatewayLoad> load, ILogger<GatewayRegistration>? logger = null, TimeProvider? timeProvider = null)
    {
        var validation = new GatewayRegistrationOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(GatewayRegistrationOptions), typeof(GatewayRegistrationOptions), validation.Failures);
        }

        _client = client;
        _options = options;
        _load = load;
        _logger = logger ?? NullLogger<GatewayRegistration>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _publisher = new SignalLoop(async ct => await PublishCoreAsync(ct) is MembershipResult.Ok or MembershipResult.Closed, options.RetryDelay, _time, _logger);
        _node = new EphemeralNode(client, options.Root, MembershipPaths.Gateway(options.Root, options.GatewayId), _logger, _publisher.Signal);
        _client.StateChanged += OnStateChanged;
        _publisher.Start();
    }

    public string GatewayId => _options.GatewayId;

    /// <summary>True while the node exists and belongs to the current session.</summary>
    public bool IsRegistered => Volatile.Read(ref _ownedBySession) is var s && s != 0 && s == _client.SessionId;

    /// <summary>The data last written, or null.</summary>
    public GatewayNodeData? Published => Volatile.Read(ref _published);

    /// <summary>Creates the node with the current load and starts the refresh timer.</summary>
    public async Task<MembershipResult> RegisterAsync(CancellationToken cancellationToken = default)
    {
        _wantRegistered = true;
        var result = await PublishCoreAsync(cancellationToken);
        _timer ??= Task.Run(RefreshTimerAsync, CancellationToken.None);
        if (result is not (MembershipResult.Ok or MembershipResult.Closed))
        {
            _publisher.Signal();
        }

        return result;
    }

    /// <summary>Samples and writes the load now (e.g. right after a drain set the weight to 0).</summary>
    public Task<MembershipResult> PublishAsync(CancellationToken cancellationToken = default) => PublishCoreAsync(cancellationToken);

    /// <summary>Stops refreshing and deletes the node.</summary>
    public async Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _wantRegistered = false;
            var removed = await _node.RemoveAsync(cancellationToken);
            if (removed == MembershipResult.Ok)
            {
                Volatile.Write(ref _ownedBySession, 0);
            }

            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the timer; the node stays until deregistered or the session ends.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _client.StateChanged -= OnStateChanged;
        await _stop.CancelAsync();
        if (_timer is not null)
        {
            await _timer;
        }

        await _publisher.DisposeAsync();
        _stop.Dispose();
    }

    private void OnStateChanged(ZooKeeperStateChange change)
    {
        if (change.State == ZooKeeperState.Connected)
        {
            _publisher.Signal();
        }
    }

    private async Task RefreshTimerAsync()
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _publisher.Signal();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task<MembershipResult> PublishCoreAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_wantRegistered)
            {
                return MembershipResult.Ok;
            }

            var load = _load();
            var data = new GatewayNodeData(
                _options.Host,
                _options.Port,
                _options.AdminUrl,
                Math.Max(0, load.Connections),
                double.IsFinite(load.Cpu) ? Math.Clamp(load.Cpu, 0, 1) : 0,
                Math.Max(0, load.Weight),
                load.Draining);
            var bytes = MembershipJson.Encode(data);
            var result = await WriteAsync(bytes, cancellationToken);
            if (result == MembershipResult.Ok)
            {
                Volatile.Write(ref _published, data);
                MembershipLog.GatewayPublished(_logger, _options.GatewayId, data.Connections, data.Cpu, data.Weight, data.Draining);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MembershipResult> WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (!IsRegistered)
            {
                var (ensured, version) = await _node.EnsureAsync(bytes, cancellationToken);
                if (ensured != MembershipResult.Ok)
                {
                    return ensured;
                }

                Volatile.Write(ref _ownedBySession, _client.SessionId);
                _version = version;
                _written = bytes;
                return MembershipResult.Ok;
            }

            if (_written is not null && _written.AsSpan().SequenceEqual(bytes))
            {
                return MembershipResult.Ok;
            }

            // Conditional on the version we wrote last: a node replaced by another session is never overwritten.
            var set = await _client.SetDataAsync(_node.Path, bytes, _version, cancellationToken: cancellationToken);
            switch (set.Error)
            {
                case ZooKeeperError.Ok:
                    _version = set.Value!.Version;
                    _written = bytes;
                    return MembershipResult.Ok;
                case ZooKeeperError.NoNode:
                case ZooKeeperError.BadVersion:
                    // Gone or changed behind our back: decide again from the node's owner.
                    Volatile.Write(ref _ownedBySession, 0);
                    continue;
                default:
                    MembershipLog.CallFailed(_logger, _node.Path, set.Error);
                    return MembershipTree.ToResult(set.Error);
            }
        }

        return MembershipResult.Unavailable;
    }
}
