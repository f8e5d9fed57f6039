namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Result of one operation of a multi. When the multi fails, the failing operation carries its
/// error, the ones before it Ok (rolled back) and the ones after it RuntimeInconsistency.
/// </summary>
/// <param name="Kind">The operation.</param>
/// <param name="Error">Its outcome.</param>
/// <param name="Path">Created path (Create), chroot removed.</param>
/// <param name="Stat">New metadata (SetData).</param>
public sealed record ZooKeeperOpResult(ZooKeeperOpKind Kind, ZooKeeperError Error, string? Path, ZooKeeperStat? Stat);
