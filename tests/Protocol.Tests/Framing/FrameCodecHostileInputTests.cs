using System.Buffers;
using System.Buffers.Binary;
using Chat.Protocol.Framing;
using K4os.Compression.LZ4;
using static Chat.Tests.Protocol.Framing.FrameCodecTests;

namespace Chat.Tests.Protocol.Framing;

/// <summary>What a peer can send on purpose: garbage, flipped bits, LZ4 bombs. Never an exception, never unbounded allocation.</summary>
public class FrameCodecHostileInputTests
{
    private static readonly FrameCodec Codec = FrameCodec.Default;

    [Fact]
    public void Bomb_declaring_four_gigabytes_is_refused_before_allocating()
    {
        var frame = CompressedFrame(declared: uint.MaxValue, block: [0x1F, 0x00, 0x01, 0x00]);
        Warm(frame);

        var (status, allocated) = DecodeMeasured(frame);

        Assert.Equal(FrameStatus.DecompressedTooLarge, status);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Bomb_declaring_one_byte_over_the_limit_is_refused_before_allocating()
    {
        var frame = CompressedFrame(declared: 262_145, block: LZ4Block(new byte[262_145]));
        Warm(frame);

        var (status, allocated) = DecodeMeasured(frame);

        Assert.Equal(FrameStatus.DecompressedTooLarge, status);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Bomb_that_expands_beyond_its_declared_length_stops_at_the_limit()
    {
        // 8 MiB of zeros compress to ~33 KB: a legal frame size that would expand 32 times past the limit.
        var block = LZ4Block(new byte[8 * 1024 * 1024]);
        Assert.True(block.Length < 65_000, $"block of {block.Length} bytes");
        var frame = CompressedFrame(declared: 262_144, block: block);
        Warm(frame);

        var (status, allocated) = DecodeMeasured(frame);

        Assert.Equal(FrameStatus.BadCompression, status);
        Assert.True(allocated <= 262_144 + 4096, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1001)]
    [InlineData(200_000)]
    public void Block_that_does_not_decompress_to_exactly_its_declared_length_is_bad(int declared)
    {
        var frame = CompressedFrame(declared: (uint)declared, block: LZ4Block(Compressible(1000)));

        Assert.Equal(FrameStatus.BadCompression, DecodeStatus(frame));
    }

    [Fact]
    public void Compressed_frame_without_room_for_its_length_is_bad()
    {
        Assert.Equal(FrameStatus.BadCompression, DecodeStatus([0, 0, 0, 1, 1]));
        Assert.Equal(FrameStatus.BadCompression, DecodeStatus([0, 0, 0, 4, 1, 0, 0, 1]));
    }

    [Fact]
    public void Compressed_frame_declaring_zero_or_holding_no_block_is_bad()
    {
        Assert.Equal(FrameStatus.BadCompression, CompressedStatus(declared: 0, block: [0x00]));
        Assert.Equal(FrameStatus.BadCompression, CompressedStatus(declared: 10, block: []));
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_exceed_the_limits()
    {
        var codec = new FrameCodec(new FrameOptions { MaxFrameLength = 4096, MaxDecompressedLength = 16_384 });
        var random = new Random(20251123);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (bytes.Length >= 9 && random.Next(2) == 0)
            {
                // Half the time a plausible header, so the flags and LZ4 paths see the garbage too.
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(bytes.Length - 4));
                bytes[4] = (byte)random.Next(2);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)random.Next(0, 20_000));
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            var body = new ArrayBufferWriter<byte>();
            var status = codec.TryDecode(ref buffer, body);

            Assert.True(Enum.IsDefined(status), $"status {status}");
            Assert.True(body.WrittenCount <= 16_384);
            if (status == FrameStatus.Ok)
            {
                Assert.True(buffer.Length < bytes.Length, "a decoded frame is consumed");
            }
            else
            {
                Assert.Equal(bytes.Length, buffer.Length);
            }
        }
    }

    [Fact]
    public void Every_single_bit_flip_of_a_compressed_frame_gives_a_status()
    {
        var original = Compressible(3000);
        var frame = Encode(original, Codec);
        for (var index = 0; index < frame.Length; index++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])frame.Clone();
                flipped[index] ^= (byte)(1 << bit);
                var buffer = new ReadOnlySequence<byte>(flipped);
                var body = new ArrayBufferWriter<byte>();

                var status = Codec.TryDecode(ref buffer, body);

                Assert.True(Enum.IsDefined(status));
                if (status == FrameStatus.Ok && flipped[4] == (byte)FrameFlags.Lz4)
                {
                    // A flipped literal still decodes, to exactly the declared length.
                    Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(flipped.AsSpan(5)), (uint)body.WrittenCount);
                }
                else if (status == FrameStatus.Ok)
                {
                    // The LZ4 bit itself flipped: the block is passed on as a raw body.
                    Assert.Equal(frame.Length - FrameCodec.HeaderSize, body.WrittenCount);
                }
            }
        }
    }

    private static byte[] LZ4Block(byte[] data)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
        var length = LZ4Codec.Encode(data, target);
        return target.AsSpan(0, length).ToArray();
    }

    private static byte[] CompressedFrame(uint declared, byte[] block)
    {
        var frame = new byte[4 + 1 + 4 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(1 + 4 + block.Length));
        frame[4] = (byte)FrameFlags.Lz4;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), declared);
        block.CopyTo(frame.AsSpan(9));
        return frame;
    }

    private static FrameStatus CompressedStatus(uint declared, byte[] block) => DecodeStatus(CompressedFrame(declared, block));

    private static FrameStatus DecodeStatus(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        var body = new ArrayBufferWriter<byte>();
        var status = Codec.TryDecode(ref buffer, body);
        Assert.Equal(0, body.WrittenCount);
        Assert.Equal(frame.Length, buffer.Length);
        return status;
    }

    // The first call JIT-compiles and initializes statics; measure the second.
    private static void Warm(byte[] frame) => DecodeMeasured(frame);

    private static (FrameStatus Status, long Allocated) DecodeMeasured(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        var body = new ArrayBufferWriter<byte>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = Codec.TryDecode(ref buffer, body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return (status, allocated);
    }
}
