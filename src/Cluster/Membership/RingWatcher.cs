using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>
/// Keeps an immutable <see cref="RingSnapshot"/> of /chat/ring up to date: the members are the
/// children of /chat/ring with their weights and the addresses from /chat/shards, the epoch is the
/// cversion from the same getChildren2 reply. Snapshots are swapped by reference; readers copy
/// <see cref="Current"/> once.
/// </summary>
/// <remarks>
/// Re-reads on every child watch, on every shard data watch (an address change), and on every
/// reconnect (even when the server re-delivers a watch that fired while away: reading again is
/// cheap and certain). While ZooKeeper is unreachable the last snapshot stays in force. A snapshot
/// with an older epoch than the current one is never published.
/// </remarks>
public sealed partial class RingWatcher : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly RingWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly SignalLoop _refresh;
    private readonly Action<WatchedEvent> _onWatch;
    private readonly PublishedValue<RingSnapshot> _value = new(RingSnapshot.Empty);
    private int _started;

    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public RingWatcher(ZooKeeperClient client, RingWatcherOptions options, ILogger<RingWatcher>? logger = null, TimeProvider? timeProvider = null)
    {
        var validation = new RingWatcherOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(RingWatcherOptions), typeof(RingWatcherOptions), validation.Failures);
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger<RingWatcher>.Instance;
        _onWatch = _ => _refresh!.Signal();
        _refresh = new SignalLoop(RefreshAsync, options.RetryDelay, timeProvider ?? TimeProvider.System, _logger);
    }

    /// <summary>
    /// Raised after each new snapshot is in force, on the watcher's own loop (one at a time, in
    /// epoch order). Handlers must be quick; a slow one delays the next ring.
    /// </summary>
    public event EventHandler<RingChangedEventArgs>? Changed;

    /// <summary>The ring in force: <see cref="RingSnapshot.Empty"/> until the first read.</summary>
    public RingSnapshot Current => _value.Current;

    /// <summary>
    /// Starts watching and waits for the first read of the ring (bounded by the token). Returns false
    /// if the token fired first; the watcher keeps trying in the background.
    /// </summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _client.StateChanged += OnStateChanged;
            _refresh.Start();
            _refresh.Signal();
        }

        return await _value.WaitForFirstReadAsync(cancellationToken);
    }

    /// <summary>
    /// Waits until the ring in force satisfies <paramref name="predicate"/> and returns it, or
    /// returns null when <paramref name="timeout"/> passes first.
    /// </summary>
    public Task<RingSnapshot?> WaitForAsync(Func<RingSnapshot, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _value.WaitForAsync(predicate, timeout, cancellationToken);

    /// <summary>Waits for a ring at <paramref name="epoch"/> or later; null on timeout.</summary>
    public Task<RingSnapshot?> WaitForEpochAsync(long epoch, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForAsync(ring => ring.Epoch >= epoch, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _refresh.DisposeAsync();
    }

    private void OnStateChanged(ZooKeeperStateChange change)
    {
        if (change.State == ZooKeeperState.Connected)
        {
            _refresh.Signal();
        }
    }

    private void Publish(RingSnapshot next)
    {
        var (previous, published) = _value.Set(next);

        MembershipLog.RingPublished(_logger, next.Epoch, next.Members.Length, new RingSummary(next));
        try
        {
            Changed?.Invoke(this, new RingChangedEventArgs(previous, next));
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not stop ring updates for everyone else.
            MembershipLog.RingHandlerFailed(_logger, ex);
        }

        // Waiters wake after the subscribers ran: a ring seen by WaitForAsync has been announced.
        published.TrySetResult();
    }
}
