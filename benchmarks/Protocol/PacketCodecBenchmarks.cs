using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Benchmarks.Protocol;

/// <summary>
/// Encode + decode of one chat Message packet with a 100-byte body, as a shard does per delivery:
/// Thrift compact body, frame header, LZ4 when asked. Run:
///   dotnet run -c Release --project benchmarks -- --filter '*PacketCodec*' --job short
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class PacketCodecBenchmarks
{
    private const string NaturalText = "Hey love, are we still on for dinner tonight? I booked the table for 7:30, see you there soon! xoxo!";
    private const string RepetitiveText = "hahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahahaha";

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly PacketCodec _raw = PacketCodec.Default;
    private readonly PacketCodec _lz4 = new(new FrameCodec(new FrameOptions { CompressionThreshold = 1 }));
    private ClientPacket _natural = null!;
    private ClientPacket _repetitive = null!;

    [GlobalSetup]
    public void Setup()
    {
        _natural = MessageWith(NaturalText);
        _repetitive = MessageWith(RepetitiveText);
        // Checked once here so the figures measure the intended paths.
        if (FrameFlagsOf(_raw, _natural) != FrameFlags.None || FrameFlagsOf(_lz4, _repetitive) != FrameFlags.Lz4
            || FrameFlagsOf(_lz4, _natural) != FrameFlags.None)
        {
            throw new InvalidOperationException("benchmark inputs do not take the intended paths");
        }
    }

    /// <summary>Default options: a 100-byte message is below the 512-byte threshold, sent raw.</summary>
    [Benchmark(Baseline = true)]
    public ClientPacket? EncodeDecode_Raw() => RoundTrip(_raw, _natural);

    /// <summary>Threshold 1, a body LZ4 shrinks: compressed on write, decompressed on read.</summary>
    [Benchmark]
    public ClientPacket? EncodeDecode_Lz4() => RoundTrip(_lz4, _repetitive);

    /// <summary>Threshold 1, natural text LZ4 cannot shrink: compression tried, then sent raw.</summary>
    [Benchmark]
    public ClientPacket? EncodeDecode_Lz4NotHelping() => RoundTrip(_lz4, _natural);

    /// <summary>The gateway's relay path: read the length prefix and slice the frame, no decoding.</summary>
    [Benchmark]
    public long SliceFrame()
    {
        _output.ResetWrittenCount();
        _raw.Write(_natural, _output);
        var buffer = new ReadOnlySequence<byte>(_output.WrittenMemory);
        var total = 0L;
        for (var i = 0; i < 100; i++)
        {
            var copy = buffer;
            _raw.Frames.TrySliceFrame(ref copy, out var frame);
            total += frame.Length;
        }

        return total;
    }

    private ClientPacket? RoundTrip(PacketCodec codec, ClientPacket packet)
    {
        _output.ResetWrittenCount();
        codec.Write(packet, _output);
        var buffer = new ReadOnlySequence<byte>(_output.WrittenMemory);
        codec.TryRead(ref buffer, out var decoded);
        return decoded;
    }

    private FrameFlags FrameFlagsOf(PacketCodec codec, ClientPacket packet)
    {
        _output.ResetWrittenCount();
        codec.Write(packet, _output);
        return (FrameFlags)_output.WrittenSpan[FrameCodec.LengthPrefixSize];
    }

    private static ClientPacket MessageWith(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        if (body.Length != 100)
        {
            throw new InvalidOperationException($"body is {body.Length} bytes, not 100");
        }

        return new Message
        {
            Seq = 123_456,
            SenderId = "user-7f3a9c",
            Kind = MessageKind.Text,
            Body = body,
            ServerTime = 1_763_900_000_000,
            ClientMsgId = "0b6c4f2e-8d1a-4c59-9e77-3f0a5b2d1c88",
        };
    }
}
