namespace Chat.Cluster.Membership;

/// <summary>Settings of <see cref="RingWatcher"/>; checked by <see cref="RingWatcherOptionsValidator"/>.</summary>
public sealed class RingWatcherOptions
{
    /// <summary>Root of the layout in ZooKeeper (after any chroot). Default "/chat".</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>
    /// Create the persistent layout nodes (/chat, /chat/ring, ...) when missing. Default true (every
    /// process of the cluster does it, idempotently). Inspection tools set false: a mistyped root then
    /// reads as "no ring" instead of creating nodes.
    /// </summary>
    public bool CreateLayout { get; set; } = true;

    /// <summary>
    /// Pause before reading again after a failed read (ZooKeeper unreachable: the last ring stays in
    /// force meanwhile). A reconnect triggers a read at once regardless. Default 1 s.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
