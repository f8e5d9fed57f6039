using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Cluster.Membership;

/// <summary>
/// Keeps an immutable <see cref="GatewayDirectorySnapshot"/> of /chat/gateways: the children with
/// their published data (address, connections, CPU, weight, draining). Readers copy
/// <see cref="Current"/> once. Used by GET /admin/weights, which a weighted-DNS updater polls.
/// </summary>
/// <remarks>
/// A child watch on /chat/gateways and a data watch on every gateway node. Gateways rewrite their
/// node every few seconds, so a data change re-reads only that node; a child change re-lists and
/// reads only the new nodes; a reconnect reads everything. While ZooKeeper is unreachable the last
/// list stays. A node whose data does not parse is left out (logged), the same on every gateway.
/// Never creates nodes: a missing /chat/gateways reads as no gateways, with an exist watch.
/// </remarks>
public sealed partial class GatewayDirectory : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly GatewayDirectoryOptions _options;
    private readonly ILogger _logger;
    private readonly SignalLoop _refresh;
    private readonly Action<WatchedEvent> _onListWatch;
    private readonly Action<WatchedEvent> _onDataWatch;
    private readonly Lock _dirtyLock = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private HashSet<string> _listed = new(StringComparer.Ordinal);
    private bool _listingDirty = true;
    private bool _allDirty = true;
    private readonly PublishedValue<GatewayDirectorySnapshot> _value = new(GatewayDirectorySnapshot.Empty);
    private int _started;

    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public GatewayDirectory(ZooKeeperClient client, GatewayDirectoryOptions options, ILogger<GatewayDirectory>? logger = null, TimeProvider? timeProvider = null)
    {
        var validation = new GatewayDirectoryOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(GatewayDirectoryOptions), typeof(GatewayDirectoryOptions), validation.Failures);
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger<GatewayDirectory>.Instance;
        _onListWatch = _ => MarkDirty(listing: true, id: null);
        _onDataWatch = e => MarkDirty(listing: false, id: IdOf(e.Path));
        _refresh = new SignalLoop(RefreshAsync, options.RetryDelay, timeProvider ?? TimeProvider.System, _logger);
    }

    /// <summary>Raised after each new snapshot is in force, on the directory's own loop, one at a time.</summary>
    public event EventHandler<GatewayDirectorySnapshot>? Changed;

    /// <summary>The gateways as last read: empty until the first read.</summary>
    public GatewayDirectorySnapshot Current => _value.Current;

    /// <summary>
    /// Starts watching and waits for the first read (bounded by the token). Returns false if the
    /// token fired first; the directory keeps trying in the background.
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

    /// <summary>Waits until the list satisfies <paramref name="predicate"/> and returns it, or null when <paramref name="timeout"/> passes first.</summary>
    public Task<GatewayDirectorySnapshot?> WaitForAsync(Func<GatewayDirectorySnapshot, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _value.WaitForAsync(predicate, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnStateChanged;
        await _refresh.DisposeAsync();
    }

    private void OnStateChanged(ZooKeeperStateChange change)
    {
        if (change.State == ZooKeeperState.Connected)
        {
            lock (_dirtyLock)
            {
                _listingDirty = true;
                _allDirty = true;
            }

            _refresh.Signal();
        }
    }

    private void MarkDirty(bool listing, string? id)
    {
        lock (_dirtyLock)
        {
            _listingDirty |= listing;
            if (id is not null)
            {
                _dirty.Add(id);
            }
        }

        _refresh.Signal();
    }

    private static string? IdOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash >= 0 && slash < path.Length - 1 ? path[(slash + 1)..] : null;
    }

    private void Publish(GatewayDirectorySnapshot next)
    {
        var (_, published) = _value.Set(next);

        MembershipLog.GatewaysPublished(_logger, next.Version, next.Gateways.Length);
        try
        {
            Changed?.Invoke(this, next);
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not stop updates for everyone else.
            MembershipLog.GatewayHandlerFailed(_logger, ex);
        }

        published.TrySetResult();
    }
}
