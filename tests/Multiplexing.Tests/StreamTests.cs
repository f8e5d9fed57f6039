using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing;

public class StreamTests
{
    private static IByteBuffer Bytes(byte[] bytes) => Unpooled.WrappedBuffer(bytes);

    [Fact]
    public async Task Many_streams_echo_data_both_ways_through_small_windows()
    {
        await using var server = await MuxTestServer.StartEchoAsync(o =>
        {
            o.InitialStreamWindow = 4096;
            o.MaxDataPayload = 1500;
        });
        await using var client = new MuxTestClient().Configure(o => o.InitialStreamWindow = 4096);
        var connection = await client.ConnectAsync(server.EndPoint);
        var random = new Random(42);
        const int streams = 20;
        const int bytesPerStream = 32 * 1024;

        var handlers = new List<(RecordingHandler Handler, byte[] Sent)>();
        for (var i = 0; i < streams; i++)
        {
            var handler = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request($"couple-{i}"));
            var sent = new byte[bytesPerStream];
            random.NextBytes(sent);
            handlers.Add((handler, sent));
        }

        foreach (var (handler, sent) in handlers)
        {
            for (var offset = 0; offset < sent.Length; offset += 7000)
            {
                _ = handler.Channel!.WriteAndFlushAsync(Bytes(sent[offset..Math.Min(sent.Length, offset + 7000)]));
            }
        }

        // The shard's stream pipeline first reads the Auth frame from the Open, then the Data.
        var auth = MuxTestClient.Request().AuthFrame.ToArray();
        foreach (var (handler, sent) in handlers)
        {
            await handler.WaitForBytesAsync(auth.Length + sent.Length, TimeSpan.FromSeconds(20));
            Assert.Equal(auth.Concat(sent).ToArray(), handler.Received);
        }

        Assert.Equal(streams, connection.StreamCount);
    }

    [Fact]
    public async Task The_shard_stream_sees_the_open_request_and_reads_the_auth_frame_first()
    {
        await using var server = await MuxTestServer.StartAsync(() => new RecordingHandler());
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var request = MuxTestClient.Request("couple-9", migrated: true, epoch: 1234);

        var stream = await MuxTestClient.OpenRecordingAsync(connection, request);
        await stream.Channel!.WriteAndFlushAsync(Bytes([9, 9])).Within();

        await Eventually.TrueAsync(() => !server.StreamHandlers.IsEmpty, "the shard accepts the stream");
        var shardSide = server.Handler<RecordingHandler>(0);
        await shardSide.WaitForBytesAsync(request.AuthFrame.Length + 2);
        Assert.Equal(request.AuthFrame.ToArray().Concat(new byte[] { 9, 9 }).ToArray(), shardSide.Received);
        var open = shardSide.Channel!.OpenRequest;
        Assert.Equal(("couple-9", 1234L, "10.1.2.3:4567", true), (open.CoupleId, open.RingEpoch, open.ClientAddress, open.Migrated));
        Assert.Equal("10.1.2.3:4567", shardSide.Channel.RemoteAddress.ToString());
        Assert.Equal(stream.Channel.StreamId, shardSide.Channel.StreamId);
    }

    [Fact]
    public async Task Closing_a_stream_on_the_gateway_resets_it_on_the_shard()
    {
        await using var server = await MuxTestServer.StartAsync(() => new RecordingHandler());
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var stream = await MuxTestClient.OpenRecordingAsync(connection);
        await Eventually.TrueAsync(() => !server.StreamHandlers.IsEmpty, "the shard accepts the stream");

        await stream.Channel!.CloseAsync().Within();

        var shardSide = server.Handler<RecordingHandler>(0);
        await shardSide.Closed.Within();
        Assert.Equal(ResetReason.Closed, shardSide.Event<MuxStreamResetEvent>()?.Reason);
        Assert.False(shardSide.Event<MuxStreamResetEvent>()!.IsLocal);
        await Eventually.TrueAsync(() => connection.StreamCount == 0 && server.Initializer.StreamCount == 0, "both sides forget the stream");
    }

    [Fact]
    public async Task A_shard_reset_with_moved_reaches_the_gateway_stream_with_its_reason()
    {
        await using var server = await MuxTestServer.StartAsync(() => new RecordingHandler());
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var stream = await MuxTestClient.OpenRecordingAsync(connection);
        await Eventually.TrueAsync(() => !server.StreamHandlers.IsEmpty, "the shard accepts the stream");

        await server.Handler<RecordingHandler>(0).Channel!.ResetAsync(ResetReason.Moved, 0, "ring moved").Within();

        await stream.Closed.Within();
        var reset = stream.Event<MuxStreamResetEvent>();
        Assert.Equal((ResetReason.Moved, "ring moved", false), (reset?.Reason, reset?.Text, reset?.IsLocal));
        Assert.True(connection.IsAcceptingStreams);
    }

    [Fact]
    public async Task Admission_refuses_a_couple_the_shard_does_not_own_with_its_epoch()
    {
        await using var server = await MuxTestServer.StartEchoAsync(admission: request =>
            request.CoupleId == "elsewhere" ? MuxAdmission.Reject(ResetReason.NotOwner, 42, "not mine") : MuxAdmission.Accept);
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);

        var refused = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("elsewhere"));
        var accepted = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("mine"));

        await refused.Closed.Within();
        var reset = refused.Event<MuxStreamResetEvent>();
        Assert.Equal((ResetReason.NotOwner, 42L), (reset?.Reason, reset?.Epoch));
        await accepted.WaitForBytesAsync(MuxTestClient.Request().AuthFrame.Length);
        Assert.Single(server.StreamHandlers);
    }

    [Fact]
    public async Task The_gateway_does_not_open_more_streams_than_the_shard_allows()
    {
        await using var server = await MuxTestServer.StartEchoAsync(o => o.MaxStreams = 2);
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        await MuxTestClient.OpenRecordingAsync(connection);
        await MuxTestClient.OpenRecordingAsync(connection);

        var third = await connection.OpenStreamAsync(MuxTestClient.Request(), new ActionChannelInitializer<IChannel>(_ => { })).Within();

        Assert.Equal(MuxOpenStatus.TooManyStreams, third.Status);
    }

    [Fact]
    public async Task An_auth_frame_larger_than_the_shard_accepts_is_refused_locally()
    {
        await using var server = await MuxTestServer.StartEchoAsync(o => o.MaxFramePayload = 2048);
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var request = MuxTestClient.Request() with { AuthFrame = new byte[4096] };

        var result = await connection.OpenStreamAsync(request, new ActionChannelInitializer<IChannel>(_ => { })).Within();

        Assert.Equal(MuxOpenStatus.RequestTooLarge, result.Status);
        Assert.True(connection.IsAcceptingStreams);
    }
}
