using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>
/// User event fired in a stream's pipeline just before the stream closes because of a reset: one
/// received from the peer, or one this side sent by policy (SlowConsumer) or because the peer's
/// GoAway left the stream unprocessed (Refused).
/// </summary>
/// <param name="Reason">Why the stream ends.</param>
/// <param name="Epoch">For NotOwner: the shard's ring epoch.</param>
/// <param name="Text">Detail for logs.</param>
/// <param name="IsLocal">True when this side decided the reset.</param>
public sealed record MuxStreamResetEvent(ResetReason Reason, long Epoch, string Text, bool IsLocal);
