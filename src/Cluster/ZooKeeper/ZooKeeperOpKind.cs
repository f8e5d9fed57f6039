namespace Chat.Cluster.ZooKeeper;

/// <summary>Operations allowed inside a multi (their wire op codes).</summary>
public enum ZooKeeperOpKind
{
    Create = 1,
    Delete = 2,
    SetData = 5,
    Check = 13,
}
