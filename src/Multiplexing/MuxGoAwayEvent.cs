using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing;

/// <summary>
/// User event fired in every stream's pipeline when the peer sends GoAway. Streams above
/// <paramref name="LastStreamId"/> were never processed: they get a <see cref="MuxStreamResetEvent"/>
/// (Refused) and close; the others continue until reset or until the connection closes.
/// </summary>
public sealed record MuxGoAwayEvent(GoAwayReason Reason, uint LastStreamId, string Text);
