using System.Buffers;
using DotNetty.Buffers;

namespace Chat.ChatService.Transport;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over the writable end of a heap <see cref="IByteBuffer"/>, so
/// the protocol's encoders (which know nothing of DotNetty) write straight into the outbound buffer.
/// </summary>
internal sealed class ByteBufferWriter : IBufferWriter<byte>
{
    private IByteBuffer? _buffer;

    /// <summary>Points the writer at <paramref name="buffer"/> (reused per encode: one writer per pipeline).</summary>
    public void Reset(IByteBuffer? buffer) => _buffer = buffer;

    public void Advance(int count)
    {
        var buffer = _buffer ?? throw new InvalidOperationException("no buffer");
        buffer.SetWriterIndex(buffer.WriterIndex + count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var buffer = _buffer ?? throw new InvalidOperationException("no buffer");
        buffer.EnsureWritable(Math.Max(sizeHint, 256));
        var segment = buffer.GetIoBuffer(buffer.WriterIndex, buffer.WritableBytes);
        return segment.AsMemory();
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
