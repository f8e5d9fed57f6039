using Chat.Cluster.Membership;
using Chat.Cluster.Routing;

namespace Chat.ChatService.Ownership;

/// <summary>The production <see cref="IRingView"/>: the ZooKeeper <see cref="RingWatcher"/>.</summary>
internal sealed class WatchedRingView : IRingView
{
    private readonly RingWatcher _watcher;

    public WatchedRingView(RingWatcher watcher)
    {
        _watcher = watcher;
        _watcher.Changed += (_, e) => Changed?.Invoke(e.Current);
    }

    public event Action<RingSnapshot>? Changed;

    public RingSnapshot Current => _watcher.Current;

    public Task<RingSnapshot?> WaitForEpochAsync(long epoch, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _watcher.WaitForEpochAsync(epoch, timeout, cancellationToken);
}
