using System.Buffers.Binary;
using Chat.Protocol.Multiplexing;
using FsCheck;
using FsCheck.Xunit;

namespace Chat.Tests.Protocol.Multiplexing;

public class MuxFrameCodecTests
{
    private static byte[] Encode(MuxFrameHeader header)
    {
        var bytes = new byte[MuxFrameHeader.Size];
        MuxFrameCodec.WriteHeader(bytes, header);
        return bytes;
    }

    private static byte[] Raw(uint length, byte type, byte flags, uint streamId)
    {
        var bytes = new byte[MuxFrameHeader.Size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, length);
        bytes[4] = type;
        bytes[5] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), streamId);
        return bytes;
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 2000)]
    public bool Every_valid_header_round_trips(MuxFrameHeader header)
    {
        var status = MuxFrameCodec.TryReadHeader(Encode(header), uint.MaxValue, out var read);
        return status == MuxHeaderStatus.Ok && read == header;
    }

    [Property(MaxTest = 5000)]
    public bool Random_bytes_give_a_status_and_an_ok_header_encodes_back_to_the_same_bytes(byte[] input, uint maxPayload)
    {
        var status = MuxFrameCodec.TryReadHeader(input, maxPayload, out var header);
        if (input.Length < MuxFrameHeader.Size)
        {
            return status == MuxHeaderStatus.Incomplete;
        }

        return status != MuxHeaderStatus.Ok
            || (header.Length <= maxPayload && Encode(header).AsSpan().SequenceEqual(input.AsSpan(0, MuxFrameHeader.Size)));
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 1000)]
    public bool Truncated_headers_are_incomplete(MuxFrameHeader header, byte cut)
    {
        var bytes = Encode(header).AsSpan(0, cut % MuxFrameHeader.Size);
        return MuxFrameCodec.TryReadHeader(bytes, uint.MaxValue, out _) == MuxHeaderStatus.Incomplete;
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 2000)]
    public bool A_bit_flip_is_either_rejected_or_reads_a_different_header(MuxFrameHeader header, byte bit)
    {
        var bytes = Encode(header);
        var index = bit % (MuxFrameHeader.Size * 8);
        bytes[index / 8] ^= (byte)(1 << (index % 8));
        var status = MuxFrameCodec.TryReadHeader(bytes, uint.MaxValue, out var read);
        return status != MuxHeaderStatus.Ok || read != header;
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(65_537u)]
    [InlineData(0x8000_0000u)]
    public void Lengths_over_the_limit_are_too_large_for_every_type(uint length)
    {
        foreach (var type in new[] { MuxFrameType.Data, MuxFrameType.Open, MuxFrameType.Hello, MuxFrameType.GoAway })
        {
            var streamId = MuxFrameCodec.IsStreamFrame(type) ? 1u : 0u;
            Assert.Equal(MuxHeaderStatus.PayloadTooLarge, MuxFrameCodec.TryReadHeader(Raw(length, (byte)type, 0, streamId), 65_536, out _));
        }
    }

    [Fact]
    public void A_length_equal_to_the_limit_is_accepted()
    {
        Assert.Equal(MuxHeaderStatus.Ok, MuxFrameCodec.TryReadHeader(Raw(65_536, (byte)MuxFrameType.Data, 0, 7), 65_536, out var header));
        Assert.Equal(new MuxFrameHeader(65_536, MuxFrameType.Data, MuxFrameFlags.None, 7), header);
    }

    [Theory]
    [InlineData(0, MuxHeaderStatus.UnknownType)]
    [InlineData(12, MuxHeaderStatus.UnknownType)]
    [InlineData(255, MuxHeaderStatus.UnknownType)]
    public void Unknown_types_are_rejected(byte type, MuxHeaderStatus expected) =>
        Assert.Equal(expected, MuxFrameCodec.TryReadHeader(Raw(1, type, 0, 1), uint.MaxValue, out _));

    [Theory]
    [InlineData(MuxFrameType.Data, 1, 1u)]
    [InlineData(MuxFrameType.Open, 2, 1u)]
    [InlineData(MuxFrameType.Open, 0x81, 1u)]
    [InlineData(MuxFrameType.Ping, 1, 0u)]
    [InlineData(MuxFrameType.Hello, 0x80, 0u)]
    public void Undefined_flags_are_rejected(MuxFrameType type, byte flags, uint streamId)
    {
        var length = type == MuxFrameType.Ping ? 8u : 1u;
        Assert.Equal(MuxHeaderStatus.BadFlags, MuxFrameCodec.TryReadHeader(Raw(length, (byte)type, flags, streamId), uint.MaxValue, out _));
    }

    [Fact]
    public void Open_accepts_the_migrated_flag()
    {
        Assert.Equal(MuxHeaderStatus.Ok, MuxFrameCodec.TryReadHeader(Raw(5, (byte)MuxFrameType.Open, 1, 3), uint.MaxValue, out var header));
        Assert.Equal(MuxFrameFlags.Migrated, header.Flags);
    }

    [Theory]
    [InlineData(MuxFrameType.Data, 0u)]
    [InlineData(MuxFrameType.Open, 0u)]
    [InlineData(MuxFrameType.Window, 0u)]
    [InlineData(MuxFrameType.Reset, 0u)]
    [InlineData(MuxFrameType.Ping, 1u)]
    [InlineData(MuxFrameType.Hello, 9u)]
    [InlineData(MuxFrameType.GoAway, uint.MaxValue)]
    [InlineData(MuxFrameType.Settings, 2u)]
    public void Stream_ids_must_match_the_frame_kind(MuxFrameType type, uint streamId)
    {
        var length = type switch { MuxFrameType.Window => 4u, MuxFrameType.Ping => 8u, _ => 3u };
        Assert.Equal(MuxHeaderStatus.BadStreamId, MuxFrameCodec.TryReadHeader(Raw(length, (byte)type, 0, streamId), uint.MaxValue, out _));
    }

    [Theory]
    [InlineData(MuxFrameType.Window, 3u)]
    [InlineData(MuxFrameType.Window, 5u)]
    [InlineData(MuxFrameType.Ping, 0u)]
    [InlineData(MuxFrameType.Ping, 9u)]
    [InlineData(MuxFrameType.Pong, 7u)]
    [InlineData(MuxFrameType.Data, 0u)]
    public void Fixed_lengths_are_enforced(MuxFrameType type, uint length)
    {
        var streamId = MuxFrameCodec.IsStreamFrame(type) ? 1u : 0u;
        Assert.Equal(MuxHeaderStatus.BadLength, MuxFrameCodec.TryReadHeader(Raw(length, (byte)type, 0, streamId), uint.MaxValue, out _));
    }

    [Fact]
    public void Reading_a_header_allocates_nothing()
    {
        var bytes = Raw(100, (byte)MuxFrameType.Data, 0, 42);
        MuxFrameCodec.TryReadHeader(bytes, uint.MaxValue, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MuxFrameCodec.TryReadHeader(bytes, uint.MaxValue, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Property(MaxTest = 1000)]
    public bool Window_increments_in_range_round_trip(PositiveInt value)
    {
        var bytes = new byte[4];
        MuxFrameCodec.WriteWindowIncrement(bytes, (uint)value.Get);
        return MuxFrameCodec.TryReadWindowIncrement(bytes, out var read) && read == (uint)value.Get;
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x8000_0000u)]
    [InlineData(uint.MaxValue)]
    public void Window_increments_out_of_range_are_rejected(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Assert.False(MuxFrameCodec.TryReadWindowIncrement(bytes, out _));
        Assert.False(MuxFrameCodec.TryReadWindowIncrement(bytes.AsSpan(0, 3), out _));
    }

    [Property(MaxTest = 500)]
    public bool Ping_payloads_round_trip(ulong value)
    {
        var bytes = new byte[8];
        MuxFrameCodec.WritePingPayload(bytes, value);
        return MuxFrameCodec.TryReadPingPayload(bytes, out var read) && read == value && !MuxFrameCodec.TryReadPingPayload(bytes.AsSpan(1), out _);
    }
}
