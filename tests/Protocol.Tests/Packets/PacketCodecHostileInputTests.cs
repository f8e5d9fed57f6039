using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Tests.Protocol.Packets;

/// <summary>
/// Crafted and random packet bodies. Compact protocol bytes used below: a field header is
/// (id delta &lt;&lt; 4) | type, with types 1/2 bool, 6 i64, 8 binary, 9 list, 12 struct; 0 ends a struct.
/// </summary>
public class PacketCodecHostileInputTests
{
    // ClientPacket.syncResult (field 10, struct) > SyncResult.messages (field 1, list of struct) with a count varint.
    private static readonly byte[] SyncResultListHeader = [0xAC, 0x19, 0xFC];

    [Fact]
    public void Empty_union_is_an_unknown_packet_and_its_frame_is_consumed()
    {
        Assert.Equal(FrameStatus.UnknownPacket, Parse([0x00]));

        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 2, 0, 0x00, 9]);
        Assert.Equal(FrameStatus.UnknownPacket, PacketCodec.Default.TryRead(ref buffer, out var packet));
        Assert.Null(packet);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Member_from_a_newer_peer_is_an_unknown_packet()
    {
        // Field 99 (long form: type byte, then zigzag varint id 198), an empty struct, then stop.
        Assert.Equal(FrameStatus.UnknownPacket, Parse([0x0C, 0xC6, 0x01, 0x00, 0x00]));
    }

    [Fact]
    public void Two_members_are_a_bad_body()
    {
        // ping {nonce = 5}, pong {nonce = 5}, stop.
        Assert.Equal(FrameStatus.BadBody, Parse([0xBC, 0x16, 0x0A, 0x00, 0x1C, 0x16, 0x0A, 0x00, 0x00]));
    }

    [Fact]
    public void Bytes_after_the_union_are_a_bad_body()
    {
        Assert.Equal(FrameStatus.Ok, Parse([0xBC, 0x16, 0x0A, 0x00, 0x00]));
        Assert.Equal(FrameStatus.BadBody, Parse([0xBC, 0x16, 0x0A, 0x00, 0x00, 0x00]));
    }

    [Fact]
    public void Writing_a_packet_without_exactly_one_member_is_a_caller_bug()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => PacketSerializer.Serialize(new ClientPacket(), output));
        Assert.Throws<ArgumentException>(() => PacketCodec.Default.Write(new ClientPacket { Ping = new Ping(), Pong = new Pong() }, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })] // 2^31-1
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // 2^32-1, negative as int
    [InlineData(new byte[] { 0x80, 0x80, 0x04 })] // 65536, more than the bytes left
    public void Huge_list_count_is_refused_without_allocating_for_it(byte[] count)
    {
        byte[] body = [.. SyncResultListHeader, .. count, 0x00, 0x00, 0x00];
        Parse(body);

        var (status, allocated) = ParseMeasured(body);

        Assert.Equal(FrameStatus.BadBody, status);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void List_longer_than_the_cap_is_refused_even_when_the_bytes_are_there()
    {
        // 4097 empty Message structs: 4097 stop bytes, all present.
        byte[] body = [.. SyncResultListHeader, 0x81, 0x20, .. new byte[4097], 0x00, 0x00];

        Assert.Equal(FrameStatus.BadBody, Parse(body));
    }

    [Fact]
    public void List_at_the_cap_is_accepted()
    {
        byte[] body = [.. SyncResultListHeader, 0x80, 0x20, .. new byte[4096], 0x00, 0x00];

        Assert.Equal(FrameStatus.Ok, PacketSerializer.TryParse(body, out var packet));
        Assert.Equal(PacketSerializer.MaxCollectionCount, packet!.SyncResult!.Messages!.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // -1 as int: a negative length
    [InlineData(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })] // -2
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })] // 2^31-1
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // a varint over 5 bytes
    public void Crafted_string_and_binary_lengths_are_a_bad_body(byte[] length)
    {
        // auth (field 1) > token (field 1, binary); send (field 3) > body (field 3, binary).
        byte[] token = [0x1C, 0x18, .. length, 0x41, 0x00, 0x00];
        byte[] sendBody = [0x3C, 0x38, .. length, 0x41, 0x00, 0x00];

        Assert.Equal(FrameStatus.BadBody, Parse(token));
        Assert.Equal(FrameStatus.BadBody, Parse(sendBody));
        var (status, allocated) = ParseMeasured(sendBody);
        Assert.Equal(FrameStatus.BadBody, status);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Deep_nesting_is_a_bad_body_not_a_stack_overflow()
    {
        // 10,000 nested structs in unknown field 1 of unknown field 1 ... then as many stops.
        byte[] body = [0x0C, 0xC6, 0x01, .. Enumerable.Repeat((byte)0x1C, 10_000), .. new byte[10_002]];

        Assert.Equal(FrameStatus.BadBody, Parse(body));
    }

    [Fact]
    public void Unknown_compact_type_is_a_bad_body()
    {
        Assert.Equal(FrameStatus.BadBody, Parse([0x1E, 0x00]));
        Assert.Equal(FrameStatus.BadBody, Parse([0x1F, 0x00]));
    }

    [Fact]
    public void Every_truncation_of_a_valid_body_is_a_bad_body()
    {
        foreach (var packet in SamplePackets())
        {
            var body = Serialize(packet);
            for (var length = 0; length < body.Length; length++)
            {
                Assert.Equal(FrameStatus.BadBody, Parse(body[..length]));
            }
        }
    }

    [Fact]
    public void Every_single_bit_flip_of_a_valid_body_gives_a_status()
    {
        foreach (var packet in SamplePackets())
        {
            var body = Serialize(packet);
            for (var index = 0; index < body.Length; index++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    var flipped = (byte[])body.Clone();
                    flipped[index] ^= (byte)(1 << bit);

                    var status = PacketSerializer.TryParse(flipped, out var parsed);

                    Assert.Contains(status, new[] { FrameStatus.Ok, FrameStatus.BadBody, FrameStatus.UnknownPacket });
                    if (status == FrameStatus.Ok)
                    {
                        // Whatever came out is a packet the codec can send again.
                        Serialize(parsed!);
                    }
                }
            }
        }
    }

    [Fact]
    public void Random_bodies_and_frames_never_throw()
    {
        var random = new Random(424242);
        for (var i = 0; i < 20_000; i++)
        {
            var body = new byte[random.Next(0, 200)];
            random.NextBytes(body);

            Assert.Contains(Parse(body), new[] { FrameStatus.Ok, FrameStatus.BadBody, FrameStatus.UnknownPacket });

            byte[] frame = [0, 0, 0, (byte)(body.Length + 1), 0, .. body];
            var buffer = new ReadOnlySequence<byte>(frame);
            var status = PacketCodec.Default.TryRead(ref buffer, out var packet);
            Assert.Equal(status == FrameStatus.Ok, packet is not null);
        }
    }

    [Fact]
    public void A_failed_read_leaves_nothing_behind_for_the_next_one()
    {
        // Unknown structs nested to the depth limit, then a bool field: Thrift has read the bool's
        // header (and holds its value) when skipping it hits the limit.
        Assert.Equal(FrameStatus.BadBody, Parse([0x0C, 0xC6, 0x01, .. Enumerable.Repeat((byte)0x1C, 14), 0x11]));
        var typing = new ClientPacket { Typing = new Typing { On = false } };

        Assert.Equal(FrameStatus.Ok, PacketSerializer.TryParse(Serialize(typing), out var parsed));
        Assert.Equal(typing, parsed);
    }

    [Theory]
    [InlineData(FrameStatus.TooLarge, ErrorCode.FrameTooLarge, true)]
    [InlineData(FrameStatus.DecompressedTooLarge, ErrorCode.FrameTooLarge, true)]
    [InlineData(FrameStatus.BadCompression, ErrorCode.BadCompression, true)]
    [InlineData(FrameStatus.EmptyFrame, ErrorCode.ProtocolError, true)]
    [InlineData(FrameStatus.ReservedFlags, ErrorCode.ProtocolError, true)]
    [InlineData(FrameStatus.BadBody, ErrorCode.ProtocolError, true)]
    [InlineData(FrameStatus.UnknownPacket, ErrorCode.BadRequest, false)]
    public void Failures_map_to_error_codes(FrameStatus status, ErrorCode code, bool closes)
    {
        Assert.Equal(code, status.ToErrorCode());
        Assert.Equal(closes, status.ClosesConnection());
    }

    [Fact]
    public void Success_is_not_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameStatus.Ok.ToErrorCode());
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameStatus.NeedMoreData.ToErrorCode());
        Assert.False(FrameStatus.Ok.ClosesConnection());
        Assert.False(FrameStatus.NeedMoreData.ClosesConnection());
    }

    private static IEnumerable<ClientPacket> SamplePackets() =>
    [
        new Auth { Token = "v1.k1.alice.c1.1800000000.sig", DeviceId = "phone", LastSeq = 42 },
        new Typing { On = true, UserId = "bob" },
        new SyncResult
        {
            Messages = [new Message { Seq = 1, SenderId = "a", Kind = MessageKind.Text, Body = "hi"u8.ToArray(), ServerTime = 1, ClientMsgId = "m1" }],
            More = true,
            LatestSeq = 9,
        },
        new Error { Code = ErrorCode.RateLimited, Text = "slow down", RetryAfterMs = 500 },
    ];

    private static byte[] Serialize(ClientPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        PacketSerializer.Serialize(packet, output);
        return output.WrittenSpan.ToArray();
    }

    private static FrameStatus Parse(byte[] body)
    {
        var status = PacketSerializer.TryParse(body, out var packet);
        Assert.Equal(status == FrameStatus.Ok, packet is not null);
        return status;
    }

    private static (FrameStatus Status, long Allocated) ParseMeasured(byte[] body)
    {
        var sequence = new ReadOnlySequence<byte>(body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = PacketSerializer.TryParse(sequence, out _);
        return (status, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
