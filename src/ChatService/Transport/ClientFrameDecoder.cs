using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// Turns the client byte stream (a direct TCP connection or a mux stream: both deliver arbitrary
/// chunks) into <see cref="ClientPacket"/>s with the protocol's <see cref="PacketCodec"/>. The
/// readable bytes are parsed in place (no copy when the cumulation is one segment). A frame that
/// breaks the framing yields one <see cref="FrameDecodeFailure"/> and every later byte is dropped:
/// the handler sends Error and closes. The length prefix is checked before the body is awaited, so
/// the cumulation never holds more than one frame (bounded by the frame limit).
/// </summary>
internal sealed class ClientFrameDecoder(PacketCodec codec) : ByteToMessageDecoder
{
    private bool _failed;

    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        if (_failed)
        {
            input.SkipBytes(input.ReadableBytes);
            return;
        }

        var buffer = ByteBufferSequence.Readable(input);
        while (!buffer.IsEmpty)
        {
            var before = buffer.Length;
            var status = codec.TryRead(ref buffer, out var packet);
            input.SkipBytes((int)(before - buffer.Length));
            if (status == FrameStatus.NeedMoreData)
            {
                return;
            }

            if (status == FrameStatus.Ok)
            {
                output.Add(packet!);
                continue;
            }

            output.Add(new FrameDecodeFailure(status));
            if (status.ClosesConnection())
            {
                _failed = true;
                input.SkipBytes(input.ReadableBytes);
                return;
            }
        }
    }
}
