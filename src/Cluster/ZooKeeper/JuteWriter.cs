using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Writes ZooKeeper's jute encoding (zookeeper.jute): big-endian ints and longs, one-byte booleans,
/// buffers and strings prefixed by an int length (-1 for null), vectors prefixed by an int count.
/// </summary>
internal sealed class JuteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public JuteWriter(int initialCapacity = 256)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public int Length => _buffer.WrittenCount;

    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBool(bool value)
    {
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        _buffer.Write(value);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        var written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(written);
    }

    public void WriteStringVector(IReadOnlyCollection<string> values)
    {
        WriteInt(values.Count);
        foreach (var value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>Returns the bytes written, as they are.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>
    /// Returns the bytes written as a frame: the first four bytes, reserved by the caller with
    /// <c>WriteInt(0)</c>, are overwritten with the length of what follows.
    /// </summary>
    public byte[] ToFrame()
    {
        var frame = _buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
        return frame;
    }
}
