namespace Chat.Cluster.Membership;

/// <summary>How a gateway announces itself; checked by <see cref="GatewayRegistrationOptionsValidator"/>.</summary>
public sealed class GatewayRegistrationOptions
{
    /// <summary>Root of the layout in ZooKeeper (after any chroot). Default "/chat".</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>The gateway's id, 1-64 characters of [A-Za-z0-9_.-], unique in the cluster. Required.</summary>
    public string GatewayId { get; set; } = string.Empty;

    /// <summary>Public host name or address clients connect to. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Public TLS port. Required.</summary>
    public int Port { get; set; }

    /// <summary>Base URL of the admin HTTP endpoint, if any. Default none.</summary>
    public string? AdminUrl { get; set; }

    /// <summary>
    /// How often the load is sampled and written (only when it changed). Default 5 s. Shorter loads
    /// ZooKeeper with writes (every gateway, every interval); longer makes DNS weights lag.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause before retrying after ZooKeeper was unavailable. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
