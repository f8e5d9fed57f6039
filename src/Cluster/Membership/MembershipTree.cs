using Chat.Cluster.ZooKeeper;

namespace Chat.Cluster.Membership;

/// <summary>Creates the persistent parents of the layout; every process does it, so creation is idempotent.</summary>
internal static class MembershipTree
{
    public static async Task<ZooKeeperError> EnsureParentsAsync(ZooKeeperClient client, string root, CancellationToken cancellationToken)
    {
        foreach (var path in MembershipPaths.Parents(root))
        {
            var created = await client.CreateAsync(path, default, CreateMode.Persistent, cancellationToken: cancellationToken);
            if (created.Error is not (ZooKeeperError.Ok or ZooKeeperError.NodeExists))
            {
                return created.Error;
            }
        }

        return ZooKeeperError.Ok;
    }

    public static MembershipResult ToResult(ZooKeeperError error) => error switch
    {
        ZooKeeperError.Ok => MembershipResult.Ok,
        ZooKeeperError.ConnectionLoss or ZooKeeperError.OperationTimeout or ZooKeeperError.SessionExpired
            or ZooKeeperError.RequestQueueFull or ZooKeeperError.MarshallingError or ZooKeeperError.Throttled => MembershipResult.Unavailable,
        ZooKeeperError.ClientClosed => MembershipResult.Closed,
        _ => MembershipResult.Refused,
    };
}
