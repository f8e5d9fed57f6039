using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Codecs;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing.Framing;

/// <summary>
/// Splits the mux connection's bytes into <see cref="MuxFrame"/>s. The header is validated before
/// the payload is awaited, so the cumulation never holds more than one header plus
/// <c>maxPayload</c> bytes. After a bad header it emits one <see cref="MuxFrameError"/> and drops
/// everything that follows (the session closes the connection).
/// </summary>
internal sealed class MuxFrameDecoder(int maxPayload) : ByteToMessageDecoder
{
    private readonly byte[] _header = new byte[MuxFrameHeader.Size];
    private bool _failed;

    protected override void Decode(IChannelHandlerContext context, IByteBuffer input, List<object> output)
    {
        if (_failed)
        {
            input.SkipBytes(input.ReadableBytes);
            return;
        }

        if (input.ReadableBytes < MuxFrameHeader.Size)
        {
            return;
        }

        // The cumulation may be composite; 10 bytes copied into a reused array read the same either way.
        input.GetBytes(input.ReaderIndex, _header);
        var status = MuxFrameCodec.TryReadHeader(_header, (uint)maxPayload, out var header);
        if (status != MuxHeaderStatus.Ok)
        {
            _failed = true;
            input.SkipBytes(input.ReadableBytes);
            output.Add(new MuxFrameError(status));
            return;
        }

        var length = (int)header.Length;
        if (input.ReadableBytes - MuxFrameHeader.Size < length)
        {
            return;
        }

        input.SkipBytes(MuxFrameHeader.Size);
        var payload = length == 0 ? Unpooled.Empty : input.ReadRetainedSlice(length);
        output.Add(new MuxFrame(header, payload));
    }
}
