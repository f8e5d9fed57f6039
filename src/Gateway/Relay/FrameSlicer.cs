using Chat.Protocol.Framing;
using DotNetty.Buffers;

namespace Chat.Gateway.Relay;

/// <summary>
/// Cuts a byte stream into runs of whole client frames by reading length prefixes only (the relay
/// never looks at flags or bodies, so chat API changes never need a gateway release). One instance
/// per direction per connection, used on one thread at a time.
/// </summary>
/// <remarks>
/// Each <see cref="Append"/> returns at most one buffer holding every whole frame available: a
/// retained slice of the input when no partial frame was left over (no copy), otherwise a copy of
/// the leftover plus the new bytes. The leftover is at most one partial frame, so the bytes held
/// here are bounded by the frame limit. Limits and statuses are those of <see cref="FrameCodec"/>:
/// a prefix of 0 is <see cref="FrameStatus.EmptyFrame"/>, one above the limit <see cref="FrameStatus.TooLarge"/>,
/// found before the frame is buffered.
/// </remarks>
internal sealed class FrameSlicer(int maxFrameLength) : IDisposable
{
    private IByteBuffer? _partial;

    /// <summary>Bytes held as a partial frame.</summary>
    public int PartialBytes => _partial?.ReadableBytes ?? 0;

    /// <summary>
    /// Takes ownership of <paramref name="input"/>. On <see cref="FrameStatus.Ok"/>, <paramref name="frames"/>
    /// holds every whole frame now available (the caller owns it) or is null when none is complete.
    /// Any other status means the stream is broken: nothing is returned and the slicer is emptied.
    /// </summary>
    public FrameStatus Append(IByteBuffer input, out IByteBuffer? frames)
    {
        frames = null;
        var buffer = input;
        if (_partial is { } partial)
        {
            _partial = null;
            buffer = partial.Allocator.Buffer(partial.ReadableBytes + input.ReadableBytes);
            buffer.WriteBytes(partial);
            buffer.WriteBytes(input);
            partial.Release();
            input.Release();
        }

        var start = buffer.ReaderIndex;
        var end = buffer.WriterIndex;
        var position = start;
        while (end - position >= FrameCodec.LengthPrefixSize)
        {
            var length = buffer.GetUnsignedInt(position);
            if (length == 0)
            {
                buffer.Release();
                return FrameStatus.EmptyFrame;
            }

            if (length > (uint)maxFrameLength)
            {
                buffer.Release();
                return FrameStatus.TooLarge;
            }

            var next = position + FrameCodec.LengthPrefixSize + (long)length;
            if (next > end)
            {
                break;
            }

            position = (int)next;
        }

        if (position == end)
        {
            // Only whole frames: hand the buffer over as it is.
            if (position == start)
            {
                buffer.Release();
                return FrameStatus.Ok;
            }

            frames = buffer;
            return FrameStatus.Ok;
        }

        if (position > start)
        {
            frames = buffer.RetainedSlice(start, position - start);
            buffer.SetReaderIndex(position);
        }

        _partial = buffer;
        return FrameStatus.Ok;
    }

    /// <summary>Releases a held partial frame (the stream it belonged to has ended).</summary>
    public void Dispose()
    {
        _partial?.Release();
        _partial = null;
    }
}
