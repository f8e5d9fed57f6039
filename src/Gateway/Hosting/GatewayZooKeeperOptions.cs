using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;

namespace Chat.Gateway.Hosting;

/// <summary>Where the ring lives (configuration section <c>ZooKeeper</c>).</summary>
public sealed class GatewayZooKeeperOptions
{
    public const string SectionName = "ZooKeeper";

    /// <summary>"host:port,host:port[/chroot]". Required (--zk).</summary>
    public string ConnectString { get; set; } = "";

    /// <summary>Root of the membership layout. Default "/chat" (--zk-root).</summary>
    public string Root { get; set; } = "/chat";

    /// <summary>
    /// Session timeout asked of ZooKeeper. Default 10 s. It only decides how fast this gateway's own
    /// node disappears after a crash; losing ZooKeeper never stops relaying (the last ring stays).
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public ZooKeeperClientOptions ToClientOptions() => new() { ConnectString = ConnectString, SessionTimeout = SessionTimeout };

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectString))
        {
            errors.Add("ZooKeeper:ConnectString is required (--zk host:port,...)");
        }
        else
        {
            var client = new ZooKeeperClientOptionsValidator().Validate(null, ToClientOptions());
            if (client.Failed)
            {
                errors.AddRange(client.Failures);
            }
        }

        var root = new RingWatcherOptionsValidator().Validate(null, new RingWatcherOptions { Root = Root });
        if (root.Failed)
        {
            errors.AddRange(root.Failures.Select(f => f + " (--zk-root)"));
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
