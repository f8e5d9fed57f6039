using Chat.Cluster.Membership;
using Chat.Cluster.Routing;

namespace Chat.Gateway.Routing;

/// <summary>The ZooKeeper ring watcher as the gateway's ring source.</summary>
internal sealed class WatchedRingSource(RingWatcher watcher) : IRingSource
{
    public RingSnapshot Current => watcher.Current;

    public Task<RingSnapshot?> WaitForAsync(Func<RingSnapshot, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken) =>
        watcher.WaitForAsync(predicate, timeout, cancellationToken);
}
