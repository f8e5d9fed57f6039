using System.Buffers;
using DotNetty.Buffers;

namespace Chat.ChatService.Transport;

/// <summary>
/// Views the readable bytes of an <see cref="IByteBuffer"/> as a <see cref="ReadOnlySequence{T}"/>
/// without copying: one array segment for a plain heap buffer, a chain of segments for a composite
/// cumulation. The sequence is valid until the buffer is released or its reader index moves.
/// </summary>
internal static class ByteBufferSequence
{
    public static ReadOnlySequence<byte> Readable(IByteBuffer buffer)
    {
        var length = buffer.ReadableBytes;
        if (length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (buffer.IoBufferCount == 1)
        {
            return new ReadOnlySequence<byte>(buffer.GetIoBuffer(buffer.ReaderIndex, length));
        }

        var segments = buffer.GetIoBuffers(buffer.ReaderIndex, length);
        Segment? first = null;
        Segment? last = null;
        foreach (var part in segments)
        {
            if (part.Count == 0)
            {
                continue;
            }

            var next = new Segment(part, last is null ? 0 : last.RunningIndex + last.Memory.Length);
            if (last is null)
            {
                first = next;
            }
            else
            {
                last.Append(next);
            }

            last = next;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Append(Segment next) => Next = next;
    }
}
