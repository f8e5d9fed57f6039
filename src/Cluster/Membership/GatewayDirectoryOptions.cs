namespace Chat.Cluster.Membership;

/// <summary>Settings of <see cref="GatewayDirectory"/>; checked by <see cref="GatewayDirectoryOptionsValidator"/>.</summary>
public sealed class GatewayDirectoryOptions
{
    /// <summary>Root of the layout in ZooKeeper (after any chroot). Default "/chat".</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>
    /// Pause before reading again after a failed read (the last list stays meanwhile). A reconnect
    /// triggers a read at once regardless. Default 1 s.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
