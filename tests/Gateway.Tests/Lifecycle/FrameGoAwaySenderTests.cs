using System.Buffers;
using Chat.Gateway.Lifecycle;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;

namespace Chat.Tests.Gateway.Lifecycle;

public sealed class FrameGoAwaySenderTests
{
    [Fact]
    public void Writes_one_whole_GoAway_frame_the_client_codec_reads_back()
    {
        var sender = new FrameGoAwaySender();
        var channel = new EmbeddedChannel();
        sender.SendGoAway(channel, 30_000, "draining");

        var written = channel.ReadOutbound<IByteBuffer>();
        var bytes = new byte[written.ReadableBytes];
        written.ReadBytes(bytes);
        written.Release();

        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.TryRead(ref sequence, out var packet));
        Assert.True(sequence.IsEmpty);
        Assert.Equal(PacketKind.GoAway, packet!.Kind);
        Assert.Equal(30_000, packet.GoAway!.ReconnectWithinMs);
        Assert.Equal("draining", packet.GoAway.Reason);
        channel.FinishAndReleaseAll();
    }

    [Fact]
    public void Reuses_the_encoded_frame_for_the_same_notice()
    {
        var sender = new FrameGoAwaySender();
        Assert.Same(sender.Frame(1000, "draining"), sender.Frame(1000, "draining"));
        Assert.NotSame(sender.Frame(1000, "draining"), sender.Frame(2000, "draining"));
    }

    [Fact]
    public async Task A_closed_channel_is_skipped()
    {
        var channel = new EmbeddedChannel();
        await channel.CloseAsync();
        new FrameGoAwaySender().SendGoAway(channel, 1000, "draining");
        Assert.Null(channel.ReadOutbound<IByteBuffer>());
    }
}
