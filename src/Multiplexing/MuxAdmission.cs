using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>
/// The shard's answer to an Open, given by its admission callback before any pipeline is built
/// (e.g. <c>Reject(NotOwner, shardEpoch)</c> for a couple it does not own).
/// </summary>
public readonly record struct MuxAdmission(bool Accepted, ResetReason Reason, long Epoch, string? Text)
{
    /// <summary>Accept the stream.</summary>
    public static MuxAdmission Accept => new(true, ResetReason.Closed, 0, null);

    /// <summary>Refuse the stream with a Reset carrying this reason (and for NotOwner, the shard's epoch).</summary>
    public static MuxAdmission Reject(ResetReason reason, long epoch = 0, string? text = null) => new(false, reason, epoch, text);
}
