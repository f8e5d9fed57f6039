using Chat.Protocol.Multiplexing;
using FsCheck;
using FsCheck.Xunit;

namespace Chat.Tests.Protocol.Multiplexing;

public class MuxBodyCodecTests
{
    // One decoder per body type, so the random-input properties cover all of them.
    private static readonly Func<byte[], MuxBodyStatus>[] Decoders =
    [
        b => MuxBodyCodec.TryDecode(b, out MuxChallenge? _),
        b => MuxBodyCodec.TryDecode(b, out MuxHello? _),
        b => MuxBodyCodec.TryDecode(b, out MuxHelloOk? _),
        b => MuxBodyCodec.TryDecode(b, out MuxOpen? _),
        b => MuxBodyCodec.TryDecode(b, out MuxReset? _),
        b => MuxBodyCodec.TryDecode(b, out MuxGoAway? _),
        b => MuxBodyCodec.TryDecode(b, out MuxSettings? _),
    ];

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Challenge_round_trips(MuxChallenge body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxChallenge? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Hello_round_trips(MuxHello body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxHello? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool HelloOk_round_trips(MuxHelloOk body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxHelloOk? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Open_round_trips(MuxOpen body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxOpen? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Reset_round_trips(MuxReset body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxReset? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool GoAway_round_trips(MuxGoAway body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxGoAway? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Settings_round_trip(MuxSettings body) =>
        MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out MuxSettings? read) == MuxBodyStatus.Ok && body.Equals(read);

    [Property(MaxTest = 3000)]
    public void Random_bytes_never_throw_in_any_decoder(byte[] input)
    {
        foreach (var decode in Decoders)
        {
            decode(input);
        }
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Every_strict_prefix_of_an_open_is_malformed(MuxOpen body, PositiveInt cut)
    {
        var bytes = MuxBodyCodec.Encode(body);
        var prefix = bytes.AsSpan(0, cut.Get % bytes.Length);
        return MuxBodyCodec.TryDecode(prefix, out MuxOpen? read) == MuxBodyStatus.Malformed && read is null;
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 300)]
    public bool Every_strict_prefix_of_a_hello_is_malformed(MuxHello body, PositiveInt cut)
    {
        var bytes = MuxBodyCodec.Encode(body);
        return MuxBodyCodec.TryDecode(bytes.AsSpan(0, cut.Get % bytes.Length), out MuxHello? _) == MuxBodyStatus.Malformed;
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 1000)]
    public void Bit_flipped_bodies_never_throw(MuxHello hello, MuxOpen open, MuxGoAway goAway, int bit)
    {
        foreach (var bytes in new[] { MuxBodyCodec.Encode(hello), MuxBodyCodec.Encode(open), MuxBodyCodec.Encode(goAway) })
        {
            var index = (int)((uint)bit % (uint)(bytes.Length * 8));
            bytes[index / 8] ^= (byte)(1 << (index % 8));
            foreach (var decode in Decoders)
            {
                decode(bytes);
            }
        }
    }

    [Property(Arbitrary = [typeof(MuxArbitraries)], MaxTest = 200)]
    public bool Trailing_bytes_are_malformed(MuxReset body, byte extra)
    {
        var bytes = MuxBodyCodec.Encode(body).Append(extra).ToArray();
        return MuxBodyCodec.TryDecode(bytes, out MuxReset? _) == MuxBodyStatus.Malformed;
    }

    [Fact]
    public void An_empty_body_is_malformed() =>
        Assert.All(Decoders, decode => Assert.Equal(MuxBodyStatus.Malformed, decode([])));

    [Fact]
    public void A_huge_length_prefix_is_malformed_without_allocating_its_size()
    {
        // Field 1 (coupleId), type binary (8), then a varint length of 2^31-1, then 3 bytes.
        byte[] bytes = [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61, 0x62, 0x63];
        MuxBodyCodec.TryDecode(bytes, out MuxOpen? _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = MuxBodyCodec.TryDecode(bytes, out MuxOpen? body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(MuxBodyStatus.Malformed, status);
        Assert.Null(body);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_huge_list_of_unknown_fields_is_malformed()
    {
        // Field 9 (unknown to MuxReset), type list (9), element type i64, size 2^28 elements, no data.
        byte[] bytes = [0x99, 0xF6, 0xFF, 0xFF, 0xFF, 0x01];
        Assert.Equal(MuxBodyStatus.Malformed, MuxBodyCodec.TryDecode(bytes, out MuxReset? _));
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        var reset = new MuxReset { Reason = ResetReason.Moved, Epoch = 7, Text = "moved" };
        var bytes = MuxBodyCodec.Encode(reset);

        // An extra field 9 (i32 = 5) before the stop byte, as a newer peer might send:
        // field header (delta 6 from id 3, compact type i32 = 5), zigzag varint 10, stop.
        var extended = bytes[..^1].Concat(new byte[] { 0x65, 0x0A, 0x00 }).ToArray();
        Assert.Equal(MuxBodyStatus.Ok, MuxBodyCodec.TryDecode(extended, out MuxReset? read));
        Assert.Equal(reset, read);
    }

    [Fact]
    public void Deeply_nested_unknown_structs_are_malformed()
    {
        // Field 9 of type struct, nested 100 levels, never closed.
        var bytes = Enumerable.Repeat((byte)0x1C, 100).Prepend((byte)0x9C).ToArray();
        Assert.Equal(MuxBodyStatus.Malformed, MuxBodyCodec.TryDecode(bytes, out MuxReset? _));
    }

    [Fact]
    public void Missing_or_out_of_range_fields_are_invalid()
    {
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxChallenge { Version = 1, ShardId = "s", Nonce = new byte[31] }, out MuxChallenge? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxChallenge { ShardId = "s", Nonce = new byte[32] }, out MuxChallenge? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxHello { Version = 1, GatewayId = "g", KeyId = "k", Nonce = new byte[32], Mac = new byte[32] }, out MuxHello? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxHelloOk { ShardId = "", Mac = new byte[32], Settings = ValidSettings() }, out MuxHelloOk? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxOpen { CoupleId = "c", RingEpoch = 1, AuthFrame = [] }, out MuxOpen? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxOpen { CoupleId = "c", RingEpoch = -1, AuthFrame = [1] }, out MuxOpen? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxOpen { CoupleId = new string('c', 257), RingEpoch = 1, AuthFrame = [1] }, out MuxOpen? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxReset { Reason = 0 }, out MuxReset? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxReset { Reason = (ResetReason)42 }, out MuxReset? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxGoAway { Reason = GoAwayReason.Draining, LastStreamId = 1L << 32 }, out MuxGoAway? _));
        Assert.Equal(MuxBodyStatus.Invalid, Decode(new MuxGoAway { Reason = GoAwayReason.Draining }, out MuxGoAway? _));
        var smallPayload = ValidSettings();
        smallPayload.MaxFramePayload = 100;
        Assert.Equal(MuxBodyStatus.Invalid, Decode(smallPayload, out MuxSettings? _));
    }

    private static MuxSettings ValidSettings() =>
        new() { InitialStreamWindow = 65_536, MaxStreams = 100, MaxFramePayload = 65_536, PingIntervalMs = 1000 };

    private static MuxBodyStatus Decode(MuxChallenge body, out MuxChallenge? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxHello body, out MuxHello? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxHelloOk body, out MuxHelloOk? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxOpen body, out MuxOpen? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxReset body, out MuxReset? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxGoAway body, out MuxGoAway? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);

    private static MuxBodyStatus Decode(MuxSettings body, out MuxSettings? read) => MuxBodyCodec.TryDecode(MuxBodyCodec.Encode(body), out read);
}
