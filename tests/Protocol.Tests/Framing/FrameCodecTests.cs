using System.Buffers;
using System.Buffers.Binary;
using Chat.Protocol.Framing;
using Chat.Tests.Protocol.Support;
using FsCheck.Xunit;

namespace Chat.Tests.Protocol.Framing;

public class FrameCodecTests
{
    private static readonly FrameCodec Codec = FrameCodec.Default;

    [Property(MaxTest = 200)]
    public bool Any_body_within_limits_round_trips(byte[] body, bool compressible)
    {
        body ??= [];
        // Half the cases repeat a short pattern so bodies above the threshold really compress.
        var input = compressible ? Enumerable.Repeat(body, 40).SelectMany(b => b).ToArray() : body;
        var frame = Encode(input, Codec);
        var buffer = new ReadOnlySequence<byte>(frame);
        var decoded = new ArrayBufferWriter<byte>();

        var status = Codec.TryDecode(ref buffer, decoded);

        return status == FrameStatus.Ok && buffer.IsEmpty && decoded.WrittenSpan.SequenceEqual(input);
    }

    [Fact]
    public void Small_body_is_sent_raw_with_header()
    {
        var frame = Encode([1, 2, 3], Codec);

        Assert.Equal(new byte[] { 0, 0, 0, 4, 0, 1, 2, 3 }, frame);
    }

    [Fact]
    public void Compressible_body_above_threshold_is_lz4_and_smaller()
    {
        var body = Compressible(4000);

        var frame = Encode(body, Codec);

        Assert.Equal((byte)FrameFlags.Lz4, frame[4]);
        Assert.Equal(4000u, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(5)));
        Assert.True(frame.Length < body.Length / 4, $"frame of {frame.Length} bytes");
        Assert.Equal(body, Decode(frame, Codec));
    }

    [Fact]
    public void Compressible_body_below_threshold_is_raw()
    {
        var frame = Encode(Compressible(500), Codec);

        Assert.Equal((byte)FrameFlags.None, frame[4]);
    }

    [Fact]
    public void Incompressible_body_is_raw_even_above_threshold()
    {
        var body = RandomBytes(4000, seed: 1);

        var frame = Encode(body, Codec);

        Assert.Equal((byte)FrameFlags.None, frame[4]);
        Assert.Equal(body.Length + FrameCodec.HeaderSize, frame.Length);
    }

    [Fact]
    public void Body_larger_than_a_frame_is_compressed_to_fit()
    {
        var body = Compressible(200_000);

        var frame = Encode(body, Codec);

        Assert.True(frame.Length <= FrameCodec.LengthPrefixSize + Codec.Options.MaxFrameLength);
        Assert.Equal(body, Decode(frame, Codec));
    }

    [Fact]
    public void Compression_off_still_compresses_a_body_that_would_not_fit()
    {
        var codec = new FrameCodec(new FrameOptions { CompressionThreshold = int.MaxValue });

        Assert.Equal((byte)FrameFlags.None, Encode(Compressible(60_000), codec)[4]);
        Assert.Equal((byte)FrameFlags.Lz4, Encode(Compressible(100_000), codec)[4]);
    }

    [Fact]
    public void Body_above_decompressed_limit_is_refused_and_nothing_written()
    {
        var output = new ArrayBufferWriter<byte>();

        var status = Codec.Encode(Compressible(262_145), output);

        Assert.Equal(FrameStatus.TooLarge, status);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Incompressible_body_above_frame_limit_is_refused_and_nothing_written()
    {
        var output = new ArrayBufferWriter<byte>();

        var status = Codec.Encode(RandomBytes(65_536, seed: 2), output);

        Assert.Equal(FrameStatus.TooLarge, status);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Largest_raw_body_fits_exactly()
    {
        var body = RandomBytes(65_535, seed: 3);

        var frame = Encode(body, Codec);

        Assert.Equal(65_536u, BinaryPrimitives.ReadUInt32BigEndian(frame));
        Assert.Equal(body, Decode(frame, Codec));
    }

    [Fact]
    public void Every_truncation_needs_more_data_and_consumes_nothing()
    {
        foreach (var frame in new[] { Encode(RandomBytes(300, seed: 4), Codec), Encode(Compressible(3000), Codec) })
        {
            for (var length = 0; length < frame.Length; length++)
            {
                var buffer = new ReadOnlySequence<byte>(frame, 0, length);
                var body = new ArrayBufferWriter<byte>();

                Assert.Equal(FrameStatus.NeedMoreData, Codec.TryDecode(ref buffer, body));
                Assert.Equal(length, buffer.Length);
                Assert.Equal(0, body.WrittenCount);
            }
        }
    }

    [Fact]
    public void Frames_split_across_segments_at_every_point_decode()
    {
        foreach (var body in new[] { RandomBytes(40, seed: 5), Compressible(2000) })
        {
            var frame = Encode(body, Codec);
            for (var cut = 1; cut < frame.Length; cut++)
            {
                var buffer = Sequences.Split(frame, cut, cut + 3);
                var decoded = new ArrayBufferWriter<byte>();

                Assert.Equal(FrameStatus.Ok, Codec.TryDecode(ref buffer, decoded));
                Assert.Equal(body, decoded.WrittenSpan.ToArray());
                Assert.True(buffer.IsEmpty);
            }
        }
    }

    [Fact]
    public void Back_to_back_frames_decode_one_at_a_time()
    {
        var first = RandomBytes(10, seed: 6);
        var second = Compressible(5000);
        var stream = Encode(first, Codec).Concat(Encode(second, Codec)).ToArray();
        var buffer = new ReadOnlySequence<byte>(stream);

        var one = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, Codec.TryDecode(ref buffer, one));
        var two = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, Codec.TryDecode(ref buffer, two));

        Assert.Equal(first, one.WrittenSpan.ToArray());
        Assert.Equal(second, two.WrittenSpan.ToArray());
        Assert.Equal(FrameStatus.NeedMoreData, Codec.TryDecode(ref buffer, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Slicing_returns_the_raw_frame_without_decoding()
    {
        var compressed = Encode(Compressible(3000), Codec);
        var raw = Encode(RandomBytes(20, seed: 7), Codec);
        var buffer = Sequences.Split([.. compressed, .. raw], 2, compressed.Length + 1);

        Assert.Equal(FrameStatus.Ok, Codec.TrySliceFrame(ref buffer, out var first));
        Assert.Equal(compressed, first.ToArray());
        Assert.Equal(FrameStatus.Ok, Codec.TrySliceFrame(ref buffer, out var second));
        Assert.Equal(raw, second.ToArray());
        Assert.True(buffer.IsEmpty);
        Assert.Equal(FrameStatus.NeedMoreData, Codec.TrySliceFrame(ref buffer, out _));
    }

    [Fact]
    public void Slicing_does_not_look_at_flags()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 2, 0xFF, 9]);

        Assert.Equal(FrameStatus.Ok, Codec.TrySliceFrame(ref buffer, out var frame));
        Assert.Equal(6, frame.Length);
    }

    [Fact]
    public void Length_prefix_reads_across_segments()
    {
        var bytes = new byte[] { 0x01, 0x02, 0x03, 0x04, 0x05 };

        Assert.True(FrameCodec.TryReadLengthPrefix(Sequences.Split(bytes, 1, 2, 3), out var split));
        Assert.True(FrameCodec.TryReadLengthPrefix(bytes.AsSpan(), out var flat));
        Assert.False(FrameCodec.TryReadLengthPrefix(new ReadOnlySequence<byte>(bytes, 0, 3), out _));

        Assert.Equal(0x01020304u, split);
        Assert.Equal(0x01020304u, flat);
    }

    [Theory]
    [InlineData(65_537u)]
    [InlineData(1_000_000u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0x8000_0000u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Oversized_length_prefix_is_too_large_before_the_bytes_arrive(uint length)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Equal(FrameStatus.TooLarge, Codec.TryDecode(ref buffer, new ArrayBufferWriter<byte>()));
        Assert.Equal(FrameStatus.TooLarge, Codec.TrySliceFrame(ref buffer, out _));
        Assert.Equal(5, buffer.Length);
    }

    [Fact]
    public void Zero_length_is_an_empty_frame()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 0, 1, 2]);

        Assert.Equal(FrameStatus.EmptyFrame, Codec.TryDecode(ref buffer, new ArrayBufferWriter<byte>()));
        Assert.Equal(FrameStatus.EmptyFrame, Codec.TrySliceFrame(ref buffer, out _));
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x03)]
    [InlineData(0x80)]
    [InlineData(0xFE)]
    public void Reserved_flag_bits_are_refused(byte flags)
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 2, flags, 7]);

        Assert.Equal(FrameStatus.ReservedFlags, Codec.TryDecode(ref buffer, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Raw_body_above_decompressed_limit_is_refused_when_frames_are_allowed_larger()
    {
        var codec = new FrameCodec(new FrameOptions { MaxFrameLength = 2000, MaxDecompressedLength = 1000 });
        var frame = new byte[4 + 1 + 1500];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 1501);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.Equal(FrameStatus.DecompressedTooLarge, codec.TryDecode(ref buffer, new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(0, 512, 16)]
    [InlineData(15, 512, 16)]
    [InlineData(65536, 0, 16)]
    [InlineData(65536, 262144, 0)]
    [InlineData(16 * 1024 * 1024 + 1, 262144, 512)]
    public void Invalid_options_are_refused_with_a_reason(int maxFrame, int maxDecompressed, int threshold)
    {
        var options = new FrameOptions { MaxFrameLength = maxFrame, MaxDecompressedLength = maxDecompressed, CompressionThreshold = threshold };

        Assert.NotNull(options.Validate());
        Assert.Throws<ArgumentException>(() => new FrameCodec(options));
    }

    [Fact]
    public void Default_options_are_the_published_limits()
    {
        Assert.Null(FrameOptions.Default.Validate());
        Assert.Equal(65536, FrameOptions.Default.MaxFrameLength);
        Assert.Equal(262144, FrameOptions.Default.MaxDecompressedLength);
        Assert.Equal(512, FrameOptions.Default.CompressionThreshold);
    }

    internal static byte[] Encode(ReadOnlySpan<byte> body, FrameCodec codec)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, codec.Encode(body, output));
        return output.WrittenSpan.ToArray();
    }

    internal static byte[] Decode(byte[] frame, FrameCodec codec)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        var body = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, codec.TryDecode(ref buffer, body));
        Assert.True(buffer.IsEmpty);
        return body.WrittenSpan.ToArray();
    }

    internal static byte[] Compressible(int length) =>
        Enumerable.Range(0, length).Select(i => (byte)"chat message "[i % 13]).ToArray();

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
