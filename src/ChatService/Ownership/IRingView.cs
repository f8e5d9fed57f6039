using Chat.Cluster.Routing;

namespace Chat.ChatService.Ownership;

/// <summary>
/// The shard's view of the ring: the snapshot in force and its changes. In production a
/// ZooKeeper ring watcher feeds it; tests feed it by hand.
/// </summary>
public interface IRingView
{
    /// <summary>The ring in force (copy the reference once per decision).</summary>
    RingSnapshot Current { get; }

    /// <summary>Raised after a new snapshot is in force, one at a time, in epoch order. Handlers must be quick.</summary>
    event Action<RingSnapshot>? Changed;

    /// <summary>Waits until the ring in force has <paramref name="epoch"/> or a later one; null when <paramref name="timeout"/> passes first.</summary>
    Task<RingSnapshot?> WaitForEpochAsync(long epoch, TimeSpan timeout, CancellationToken cancellationToken = default);
}
