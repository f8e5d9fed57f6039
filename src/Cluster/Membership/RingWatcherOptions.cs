namespace Chat.Cluster.Membership;

/// <summary>Settings of <see cref="RingWatcher"/>; checked by <see cref="RingWatcherOptionsValidator"/>.</summary>
public sealed class RingWatcherOptions
{
    /// <summary>Root of the layout in ZooKeeper (after any chroot). Default "/chat".</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>
    /// Pause before reading again after a failed read (ZooKeeper unreachable: the last ring stays in
    /// force meanwhile). A reconnect triggers a read at once regardless. Default 1 s.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
