using Chat.ChatService.Diagnostics;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;

namespace Chat.ChatService.Ownership;

/// <summary>
/// The mux's admission callback (runs on the mux connection's event loop for every Open, before a
/// pipeline is built): the fast NotOwner. When the gateway routed by an epoch this shard already
/// has (or has passed) and the ring in force gives the couple to another shard, the Open is reset
/// with NotOwner carrying this shard's epoch at once, without building a pipeline or reading the
/// Auth frame. An Open at a newer epoch than ours is accepted: the auth step waits (bounded) for the
/// watcher to catch up and decides then (<see cref="CoupleOwnership.CheckAtEpochAsync"/>).
/// </summary>
internal sealed class StreamAdmission(CoupleOwnership ownership, ShardMetrics metrics)
{
    public MuxAdmission Admit(MuxOpenRequest request)
    {
        var ring = ownership.Ring.Current;
        if (request.RingEpoch > ring.Epoch)
        {
            return MuxAdmission.Accept;
        }

        var decision = ownership.Decide(ring, request.CoupleId);
        if (decision.Owned)
        {
            return MuxAdmission.Accept;
        }

        metrics.Ended("not-owner");
        return MuxAdmission.Reject(ResetReason.NotOwner, decision.Epoch, $"couple not owned by shard {ownership.ShardId} at ring epoch {decision.Epoch}");
    }
}
