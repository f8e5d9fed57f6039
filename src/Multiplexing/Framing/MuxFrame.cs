using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;

namespace Chat.Multiplexing.Framing;

/// <summary>A decoded inbound frame: its header and its payload (a retained slice the receiver must release or pass on).</summary>
internal sealed class MuxFrame(MuxFrameHeader header, IByteBuffer payload)
{
    public MuxFrameHeader Header { get; } = header;

    public IByteBuffer Payload { get; } = payload;
}
