using Chat.Cluster.Routing;

namespace Chat.Gateway.Routing;

/// <summary>The ring the gateway routes by (in the process: the ZooKeeper <c>RingWatcher</c>).</summary>
public interface IRingSource
{
    /// <summary>The ring in force; readers copy the reference once.</summary>
    RingSnapshot Current { get; }

    /// <summary>Waits until a ring satisfies <paramref name="predicate"/> (checked on the current one first); null on timeout.</summary>
    Task<RingSnapshot?> WaitForAsync(Func<RingSnapshot, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken);
}
