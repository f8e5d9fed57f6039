using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>
/// A shard's presence in ZooKeeper: /chat/shards/&lt;id&gt; (alive, with its address) and
/// /chat/ring/&lt;id&gt; (takes couples, with its weight), both plain ephemeral nodes of the
/// process's session.
/// </summary>
/// <remarks>
/// The registration remembers what was asked (registered, in the ring) and restores it whenever
/// the client reconnects: after a connection loss it checks the nodes are still its own, after a
/// session expiry it re-creates them with the new session (shard node first, so the ring never
/// names a shard without an address). A node held by another session is retried until it goes.
/// </remarks>
public sealed class ShardRegistration : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ShardRegistrationOptions _options;
    private readonly ILogger _logger;
    private readonly EphemeralNode _shardNode;
    private readonly EphemeralNode _ringNode;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SignalLoop _reconcile;
    private bool _wantRegistered;
    private bool _wantInRing;
    private int _weight;
    private long _registeredSession;
    private long _inRingSession;

    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public ShardRegistration(
        ZooKeeperClient client, ShardRegistrationOptions options, ILogger<ShardRegistration>? logger = null, TimeProvider? timeProvider = null)
    {
        var validation = new ShardRegistrationOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(ShardRegistrationOptions), typeof(ShardRegistrationOptions), validation.Failures);
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger<ShardRegistration>.Instance;
        _weight = options.Weight;
        _reconcile = new SignalLoop(ReconcileAsync, options.RetryDelay, timeProvider ?? TimeProvider.System, _logger);
        _shardNode = new EphemeralNode(client, options.Root, MembershipPaths.Shard(options.Root, options.ShardId), _logger, _reconcile.Signal);
        _ringNode = new EphemeralNode(client, options.Root, MembershipPaths.RingMember(options.Root, options.ShardId), _logger, _reconcile.Signal);
        _client.StateChanged += OnStateChanged;
        _reconcile.Start();
    }

    public string ShardId => _options.ShardId;

    /// <summary>The ring weight the node carries (or will carry when it joins).</summary>
    public int Weight => Volatile.Read(ref _weight);

    /// <summary>True while /chat/shards/&lt;id&gt; exists and belongs to the current session.</summary>
    public bool IsRegistered => Volatile.Read(ref _registeredSession) is var s && s != 0 && s == _client.SessionId;

    /// <summary>True while /chat/ring/&lt;id&gt; exists and belongs to the current session.</summary>
    public bool IsInRing => Volatile.Read(ref _inRingSession) is var s && s != 0 && s == _client.SessionId;

    /// <summary>Creates /chat/shards/&lt;id&gt; with the shard's address (and the parents if missing).</summary>
    public async Task<MembershipResult> RegisterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _wantRegistered = true;
            return RetryUnlessDone(await EnsureRegisteredAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates /chat/ring/&lt;id&gt; with the weight: the shard starts taking couples (registers first if needed).</summary>
    public async Task<MembershipResult> JoinRingAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _wantRegistered = true;
            _wantInRing = true;
            var registered = await EnsureRegisteredAsync(cancellationToken);
            return RetryUnlessDone(registered == MembershipResult.Ok ? await EnsureInRingAsync(cancellationToken) : registered);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Changes the ring weight. A joined shard's ring node is deleted and re-created in one multi,
    /// so the ring epoch moves and every process at the new epoch builds the same ring.
    /// </summary>
    public async Task<MembershipResult> SetWeightAsync(int weight, CancellationToken cancellationToken = default)
    {
        if (weight is < Routing.RingMember.MinWeight or > Routing.RingMember.MaxWeight)
        {
            return MembershipResult.Refused;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            Volatile.Write(ref _weight, weight);
            return _wantInRing ? RetryUnlessDone(await EnsureInRingAsync(cancellationToken)) : MembershipResult.Ok;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes the ring node (the shard stops taking couples; gateways move its streams). The shard node stays.</summary>
    public async Task<MembershipResult> LeaveRingAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _wantInRing = false;
            var left = await _ringNode.RemoveAsync(cancellationToken);
            if (left == MembershipResult.Ok)
            {
                Volatile.Write(ref _inRingSession, 0);
            }

            return RetryUnlessDone(left);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Leaves the ring (ring node first), then deletes the shard node.</summary>
    public async Task<MembershipResult> DeregisterAsync(CancellationToken cancellationToken = default)
    {
        var left = await LeaveRingAsync(cancellationToken);
        if (left != MembershipResult.Ok)
        {
            return left;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _wantRegistered = false;
            var removed = await _shardNode.RemoveAsync(cancellationToken);
            if (removed == MembershipResult.Ok)
            {
                Volatile.Write(ref _registeredSession, 0);
            }

            return RetryUnlessDone(removed);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops restoring the nodes; they stay until deregistered or the session ends.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _reconcile.DisposeAsync();
    }

    /// <summary>What was asked stays asked: a call that could not finish is completed by the background loop.</summary>
    private MembershipResult RetryUnlessDone(MembershipResult result)
    {
        if (result is not (MembershipResult.Ok or MembershipResult.Closed))
        {
            _reconcile.Signal();
        }

        return result;
    }

    private void OnStateChanged(ZooKeeperStateChange change)
    {
        if (change.State == ZooKeeperState.Connected)
        {
            _reconcile.Signal();
        }
    }

    /// <summary>Brings ZooKeeper back to what was asked; false to be retried after a delay.</summary>
    private async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Ring node out first, shard node in first: the ring never names a shard without an address.
            var ring = MembershipResult.Ok;
            if (!_wantInRing && Volatile.Read(ref _inRingSession) != 0)
            {
                // A leave cut off by a connection loss: finish it.
                ring = await _ringNode.RemoveAsync(cancellationToken);
                if (ring == MembershipResult.Ok)
                {
                    Volatile.Write(ref _inRingSession, 0);
                }
            }

            var shard = MembershipResult.Ok;
            if (_wantRegistered)
            {
                shard = await EnsureRegisteredAsync(cancellationToken);
            }
            else if (Volatile.Read(ref _registeredSession) != 0)
            {
                shard = await _shardNode.RemoveAsync(cancellationToken);
                if (shard == MembershipResult.Ok)
                {
                    Volatile.Write(ref _registeredSession, 0);
                }
            }

            if (_wantInRing)
            {
                ring = shard == MembershipResult.Ok ? await EnsureInRingAsync(cancellationToken) : shard;
            }

            return ring is MembershipResult.Ok or MembershipResult.Closed && shard is MembershipResult.Ok or MembershipResult.Closed;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MembershipResult> EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        var data = MembershipJson.Encode(new ShardNodeData(_options.Host, _options.MuxPort, _options.DirectPort, _options.AdminPort));
        var (result, _) = await _shardNode.EnsureAsync(data, cancellationToken);
        if (result == MembershipResult.Ok)
        {
            Volatile.Write(ref _registeredSession, _client.SessionId);
        }

        return result;
    }

    private async Task<MembershipResult> EnsureInRingAsync(CancellationToken cancellationToken)
    {
        var data = MembershipJson.Encode(new RingNodeData(Weight));
        var (result, _) = await _ringNode.EnsureAsync(data, cancellationToken);
        if (result == MembershipResult.Ok)
        {
            Volatile.Write(ref _inRingSession, _client.SessionId);
        }

        return result;
    }
}
