using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Tests.Protocol.Support;
using FsCheck.Xunit;

namespace Chat.Tests.Protocol.Packets;

/// <summary>Every packet survives body serialization and whole-frame encoding (LZ4 included) unchanged.</summary>
[Properties(Arbitrary = [typeof(PacketArbitraries)], MaxTest = 100)]
public class PacketRoundTripTests
{
    [Property] public void Auth(Auth packet) => RoundTrips(packet, PacketKind.Auth);

    [Property] public void AuthOk(AuthOk packet) => RoundTrips(packet, PacketKind.AuthOk);

    [Property] public void Send(Send packet) => RoundTrips(packet, PacketKind.Send);

    [Property] public void Ack(Ack packet) => RoundTrips(packet, PacketKind.Ack);

    [Property] public void Message(Message packet) => RoundTrips(packet, PacketKind.Message);

    [Property] public void Typing(Typing packet) => RoundTrips(packet, PacketKind.Typing);

    [Property] public void Presence(Presence packet) => RoundTrips(packet, PacketKind.Presence);

    [Property] public void ReadUpTo(ReadUpTo packet) => RoundTrips(packet, PacketKind.ReadUpTo);

    [Property] public void Sync(Sync packet) => RoundTrips(packet, PacketKind.Sync);

    [Property] public void SyncResult(SyncResult packet) => RoundTrips(packet, PacketKind.SyncResult);

    [Property] public void Ping(Ping packet) => RoundTrips(packet, PacketKind.Ping);

    [Property] public void Pong(Pong packet) => RoundTrips(packet, PacketKind.Pong);

    [Property] public void ResyncHint(ResyncHint packet) => RoundTrips(packet, PacketKind.ResyncHint);

    [Property] public void GoAway(GoAway packet) => RoundTrips(packet, PacketKind.GoAway);

    [Property] public void Error(Error packet) => RoundTrips(packet, PacketKind.Error);

    [Property]
    public void Several_packets_in_one_buffer_split_anywhere_read_back_in_order(ClientPacket[] packets, int cutSeed)
    {
        packets ??= [];
        var output = new ArrayBufferWriter<byte>();
        foreach (var packet in packets)
        {
            Assert.Equal(FrameStatus.Ok, PacketCodec.Default.Write(packet, output));
        }

        var bytes = output.WrittenSpan.ToArray();
        var random = new Random(cutSeed);
        var buffer = Sequences.Split(bytes, Enumerable.Range(0, 5).Select(_ => random.Next(bytes.Length + 1)).ToArray());
        foreach (var expected in packets)
        {
            Assert.Equal(FrameStatus.Ok, PacketCodec.Default.TryRead(ref buffer, out var actual));
            Assert.Equal(expected, actual);
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(FrameStatus.NeedMoreData, PacketCodec.Default.TryRead(ref buffer, out _));
    }

    private static void RoundTrips(ClientPacket packet, PacketKind kind)
    {
        Assert.Equal(kind, packet.Kind);

        var body = new ArrayBufferWriter<byte>();
        PacketSerializer.Serialize(packet, body);
        Assert.Equal(FrameStatus.Ok, PacketSerializer.TryParse(body.WrittenSpan, out var fromSpan));
        Assert.Equal(packet, fromSpan);
        var bytes = body.WrittenSpan.ToArray();
        Assert.Equal(FrameStatus.Ok, PacketSerializer.TryParse(Sequences.Split(bytes, bytes.Length / 3, bytes.Length / 2), out var fromSegments));
        Assert.Equal(packet, fromSegments);

        var frame = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.Write(packet, frame));
        var buffer = new ReadOnlySequence<byte>(frame.WrittenMemory);
        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.TryRead(ref buffer, out var fromFrame));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(packet, fromFrame);
        Assert.Equal(kind, fromFrame!.Kind);
    }
}
