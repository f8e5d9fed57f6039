using Chat.Cluster.Routing;

namespace Chat.ChatService.Ownership;

/// <summary>
/// Answers "does this shard own couple X", from the ring in force. A stream carries the gateway's
/// ring epoch: when that is newer than ours, the answer waits (bounded, no thread blocked) for our
/// watcher to catch up, so that NotOwner always carries an epoch &gt;= the gateway's.
/// </summary>
internal sealed class CoupleOwnership(IRingView ring, string shardId, TimeSpan maxEpochWait)
{
    public string ShardId => shardId;

    public IRingView Ring => ring;

    /// <summary>Decides with the ring in force now.</summary>
    public OwnershipDecision Check(string coupleId) => Decide(ring.Current, coupleId);

    /// <summary>Decides for a stream opened at <paramref name="gatewayEpoch"/>: waits up to the bound for that epoch first.</summary>
    public async ValueTask<OwnershipDecision> CheckAtEpochAsync(string coupleId, long gatewayEpoch, CancellationToken cancellationToken)
    {
        var current = ring.Current;
        if (current.Epoch < gatewayEpoch && maxEpochWait > TimeSpan.Zero)
        {
            current = await ring.WaitForEpochAsync(gatewayEpoch, maxEpochWait, cancellationToken) ?? ring.Current;
        }

        return Decide(current, coupleId);
    }

    /// <summary>The decision for <paramref name="coupleId"/> in <paramref name="snapshot"/>.</summary>
    public OwnershipDecision Decide(RingSnapshot snapshot, string coupleId)
    {
        var owner = snapshot.OwnerOf(coupleId);
        return new OwnershipDecision(owner is not null && string.Equals(owner.ShardId, shardId, StringComparison.Ordinal), snapshot.Epoch, owner?.ShardId);
    }
}
