using Chat.Protocol.Multiplexing;

namespace Chat.Multiplexing.Framing;

/// <summary>The decoder met a header it rejects; it passes this on once and drops all further input.</summary>
internal sealed class MuxFrameError(MuxHeaderStatus status)
{
    public MuxHeaderStatus Status { get; } = status;
}
