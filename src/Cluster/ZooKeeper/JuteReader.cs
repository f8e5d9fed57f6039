using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Reads jute records from one reply frame. Every length is checked against the bytes left, so a
/// corrupt or hostile frame costs at most its own size; it raises <see cref="JuteFormatException"/>,
/// which the connection turns into <see cref="ZooKeeperError.MarshallingError"/> and a reconnect.
/// </summary>
internal ref struct JuteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public JuteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public int ReadInt()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        return value;
    }

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool ReadBool() => Take(1)[0] != 0;

    /// <summary>Reads a length-prefixed buffer; null (length -1) reads as an empty array.</summary>
    public byte[] ReadBuffer()
    {
        var length = ReadLength();
        return length <= 0 ? [] : Take(length).ToArray();
    }

    /// <summary>Reads a length-prefixed UTF-8 string; null (length -1) reads as null.</summary>
    public string? ReadString()
    {
        var length = ReadInt();
        if (length == -1)
        {
            return null;
        }

        if (length < 0 || length > Remaining)
        {
            throw new JuteFormatException($"string length {length} with {Remaining} bytes left");
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    public ImmutableArray<string> ReadStringVector()
    {
        var count = ReadInt();
        if (count == -1)
        {
            return [];
        }

        // Each element takes at least its 4-byte length: a larger count cannot be honest.
        if (count < 0 || count > Remaining / 4)
        {
            throw new JuteFormatException($"vector count {count} with {Remaining} bytes left");
        }

        var builder = ImmutableArray.CreateBuilder<string>(count);
        for (var i = 0; i < count; i++)
        {
            builder.Add(ReadString() ?? throw new JuteFormatException("null string in a vector"));
        }

        return builder.MoveToImmutable();
    }

    public ZooKeeperStat ReadStat() => new(
        Czxid: ReadLong(),
        Mzxid: ReadLong(),
        Ctime: ReadLong(),
        Mtime: ReadLong(),
        Version: ReadInt(),
        Cversion: ReadInt(),
        Aversion: ReadInt(),
        EphemeralOwner: ReadLong(),
        DataLength: ReadInt(),
        NumChildren: ReadInt(),
        Pzxid: ReadLong());

    private int ReadLength()
    {
        var length = ReadInt();
        if (length < -1 || length > Remaining)
        {
            throw new JuteFormatException($"buffer length {length} with {Remaining} bytes left");
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new JuteFormatException($"needed {count} bytes, {Remaining} left");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
