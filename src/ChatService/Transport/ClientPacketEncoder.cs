using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// Writes outbound <see cref="ClientPacket"/>s as client frames (Thrift compact body, LZ4 above the
/// codec's threshold) straight into the outbound buffer. A packet too large for a frame is a bug of
/// the shard (replies are sized to fit): it is dropped and the write fails.
/// </summary>
internal sealed class ClientPacketEncoder(PacketCodec codec) : MessageToByteEncoder<ClientPacket>
{
    private readonly ByteBufferWriter _writer = new();

    protected override void Encode(IChannelHandlerContext context, ClientPacket message, IByteBuffer output)
    {
        _writer.Reset(output);
        try
        {
            if (codec.Write(message, _writer) != FrameStatus.Ok)
            {
                throw new EncoderException($"a {message.Kind} packet does not fit in a client frame");
            }
        }
        finally
        {
            _writer.Reset(null);
        }
    }
}
