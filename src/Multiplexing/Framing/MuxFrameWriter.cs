using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;

namespace Chat.Multiplexing.Framing;

/// <summary>Builds outbound frames (header and payload in one buffer) with the protocol's header codec.</summary>
internal static class MuxFrameWriter
{
    public static IByteBuffer Control(IByteBufferAllocator allocator, MuxFrameType type, MuxFrameFlags flags, uint streamId, Thrift.Protocol.TBase body) =>
        Control(allocator, type, flags, streamId, MuxBodyCodec.Encode(body));

    public static IByteBuffer Control(IByteBufferAllocator allocator, MuxFrameType type, MuxFrameFlags flags, uint streamId, byte[] bytes)
    {
        var buffer = Start(allocator, new MuxFrameHeader((uint)bytes.Length, type, flags, streamId));
        buffer.WriteBytes(bytes);
        return buffer;
    }

    public static IByteBuffer Data(IByteBufferAllocator allocator, uint streamId, IByteBuffer source, int index, int length)
    {
        var buffer = Start(allocator, new MuxFrameHeader((uint)length, MuxFrameType.Data, MuxFrameFlags.None, streamId));
        buffer.WriteBytes(source, index, length);
        return buffer;
    }

    public static IByteBuffer Window(IByteBufferAllocator allocator, uint streamId, uint increment)
    {
        var buffer = Start(allocator, new MuxFrameHeader(MuxProtocol.WindowPayloadSize, MuxFrameType.Window, MuxFrameFlags.None, streamId));
        Span<byte> payload = stackalloc byte[MuxProtocol.WindowPayloadSize];
        MuxFrameCodec.WriteWindowIncrement(payload, increment);
        return Append(buffer, payload);
    }

    public static IByteBuffer Ping(IByteBufferAllocator allocator, MuxFrameType type, ulong value)
    {
        var buffer = Start(allocator, new MuxFrameHeader(MuxProtocol.PingPayloadSize, type, MuxFrameFlags.None, 0));
        Span<byte> payload = stackalloc byte[MuxProtocol.PingPayloadSize];
        MuxFrameCodec.WritePingPayload(payload, value);
        return Append(buffer, payload);
    }

    private static IByteBuffer Start(IByteBufferAllocator allocator, in MuxFrameHeader header)
    {
        var buffer = allocator.Buffer(MuxFrameHeader.Size + (int)header.Length);
        Span<byte> bytes = stackalloc byte[MuxFrameHeader.Size];
        MuxFrameCodec.WriteHeader(bytes, header);
        return Append(buffer, bytes);
    }

    private static IByteBuffer Append(IByteBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        buffer.EnsureWritable(bytes.Length);
        if (buffer.HasArray)
        {
            bytes.CopyTo(buffer.Array.AsSpan(buffer.ArrayOffset + buffer.WriterIndex, bytes.Length));
            buffer.SetWriterIndex(buffer.WriterIndex + bytes.Length);
        }
        else
        {
            buffer.WriteBytes(bytes.ToArray());
        }

        return buffer;
    }
}
