using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Chat.Cluster.Membership;

/// <summary>
/// One ephemeral node a process owns, named by its id (never sequential: a sequential create retried
/// after ConnectionLoss can leave a duplicate). Ownership is decided by the node's ephemeralOwner.
/// </summary>
/// <param name="client">The process's client.</param>
/// <param name="root">Membership root, for creating missing parents.</param>
/// <param name="path">The node.</param>
/// <param name="logger">Logger.</param>
/// <param name="onForeignNodeGone">Called (on the dispatch loop) when a node found owned by another session changes or goes.</param>
internal sealed class EphemeralNode(ZooKeeperClient client, string root, string path, ILogger logger, Action onForeignNodeGone)
{
    public string Path => path;

    /// <summary>
    /// Makes the node exist with <paramref name="data"/> and belong to the current session: creates
    /// it, or accepts it when the session already owns it (a create whose reply was lost may have
    /// succeeded), replacing it if its data differs. Returns the node's data version on Ok.
    /// </summary>
    public async Task<(MembershipResult Result, int Version)> EnsureAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Bounded: each turn either ends or follows a concurrent delete or a missing parent.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var session = client.SessionId;
            var created = await client.CreateAsync(path, data, CreateMode.Ephemeral, cancellationToken: cancellationToken);
            switch (created.Error)
            {
                case ZooKeeperError.Ok:
                    MembershipLog.NodeCreated(logger, path, session);
                    return (MembershipResult.Ok, 0);
                case ZooKeeperError.NoNode:
                    var parents = await MembershipTree.EnsureParentsAsync(client, root, cancellationToken);
                    if (parents != ZooKeeperError.Ok)
                    {
                        return (Fail(parents), 0);
                    }

                    continue;
                case ZooKeeperError.NodeExists:
                    var existing = await client.GetDataAsync(path, cancellationToken: cancellationToken);
                    if (existing.Error == ZooKeeperError.NoNode)
                    {
                        continue;
                    }

                    if (!existing.IsOk)
                    {
                        return (Fail(existing.Error), 0);
                    }

                    var stat = existing.Value!.Stat;
                    if (stat.EphemeralOwner != client.SessionId)
                    {
                        // Watch it, so the owner retries the moment the other session's node goes.
                        MembershipLog.NodeOwnedByAnother(logger, path, stat.EphemeralOwner, client.SessionId);
                        _ = await client.ExistsAsync(path, _ => onForeignNodeGone(), cancellationToken: cancellationToken);
                        return (MembershipResult.OwnedByAnotherSession, 0);
                    }

                    if (existing.Value.Data.Span.SequenceEqual(data.Span))
                    {
                        return (MembershipResult.Ok, stat.Version);
                    }

                    // Ours with other data (a weight change whose reply was lost): replace it in one
                    // step, so watchers see one change and the parent's cversion moves.
                    var replaced = await client.MultiAsync(
                        [ZooKeeperOp.Delete(path, stat.Version), ZooKeeperOp.Create(path, data, CreateMode.Ephemeral)],
                        cancellationToken: cancellationToken);
                    if (replaced.Error is ZooKeeperError.BadVersion or ZooKeeperError.NoNode or ZooKeeperError.NodeExists)
                    {
                        continue;
                    }

                    if (!replaced.IsOk)
                    {
                        return (Fail(replaced.Error), 0);
                    }

                    MembershipLog.NodeCreated(logger, path, client.SessionId);
                    return (MembershipResult.Ok, 0);
                default:
                    return (Fail(created.Error), 0);
            }
        }

        return (MembershipResult.Unavailable, 0);
    }

    /// <summary>Deletes the node if the current session owns it; a node of another session is left alone.</summary>
    public async Task<MembershipResult> RemoveAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stat = await client.ExistsAsync(path, cancellationToken: cancellationToken);
            if (stat.Error == ZooKeeperError.NoNode)
            {
                return MembershipResult.Ok;
            }

            if (!stat.IsOk)
            {
                return Fail(stat.Error);
            }

            if (stat.Value!.EphemeralOwner != client.SessionId)
            {
                return MembershipResult.Ok;
            }

            var deleted = await client.DeleteAsync(path, stat.Value.Version, cancellationToken: cancellationToken);
            switch (deleted)
            {
                case ZooKeeperError.Ok:
                case ZooKeeperError.NoNode:
                    MembershipLog.NodeDeleted(logger, path);
                    return MembershipResult.Ok;
                case ZooKeeperError.BadVersion:
                    continue;
                default:
                    return Fail(deleted);
            }
        }

        return MembershipResult.Unavailable;
    }

    private MembershipResult Fail(ZooKeeperError error)
    {
        MembershipLog.CallFailed(logger, path, error);
        return MembershipTree.ToResult(error);
    }
}
