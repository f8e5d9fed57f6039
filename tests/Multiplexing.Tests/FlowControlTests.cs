using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing;

public class FlowControlTests
{
    private static bool HasPattern(byte[] received) =>
        received.Select((b, i) => b == FirehoseHandler.PatternAt(i)).All(ok => ok);

    [Fact]
    public async Task A_client_that_stops_reading_stalls_only_its_own_stream()
    {
        const long total = 128 * 1024;
        const int window = 16 * 1024;
        await using var server = await MuxTestServer.StartAsync(() => new FirehoseHandler(total, 4096, respectWritability: true));
        await using var client = new MuxTestClient().Configure(o =>
        {
            o.CreditMode = MuxCreditMode.Explicit;
            o.InitialStreamWindow = window;
        });
        var connection = await client.ConnectAsync(server.EndPoint);

        // Stream 0 is a phone that stopped reading: its bytes are never consumed, so no credit returns.
        var stalled = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("stalled"), consume: false);
        var others = new List<RecordingHandler>();
        for (var i = 0; i < 4; i++)
        {
            others.Add(await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request($"busy-{i}")));
        }

        foreach (var other in others)
        {
            await other.WaitForBytesAsync(total, TimeSpan.FromSeconds(20));
            Assert.True(HasPattern(other.Received));
        }

        // The stalled stream got exactly its window and no more; it is paused, not reset.
        await stalled.WaitForBytesAsync(window);
        Assert.Equal(window, stalled.ReceivedCount);
        Assert.False(stalled.Closed.IsCompleted);
        var stalledSource = server.Handler<FirehoseHandler>(0);
        Assert.True(stalledSource.Sent < total, $"the shard kept producing for the stalled stream: {stalledSource.Sent}");

        // The phone reads again: credit returns and the rest of its data arrives.
        stalled.Consume = true;
        stalled.Channel!.ConsumeBytes(window);
        await stalled.WaitForBytesAsync(total, TimeSpan.FromSeconds(20));
        Assert.True(HasPattern(stalled.Received));
    }

    [Fact]
    public async Task A_shard_stream_whose_queue_passes_its_bound_is_reset_with_slow_consumer()
    {
        await using var server = await MuxTestServer.StartAsync(
            stream => new FirehoseHandler(2 * 1024 * 1024, 16 * 1024, respectWritability: stream.OpenRequest.CoupleId != "careless"),
            o => o.MaxQueuedBytesPerStream = 256 * 1024);
        await using var client = new MuxTestClient().Configure(o =>
        {
            o.CreditMode = MuxCreditMode.Explicit;
            o.InitialStreamWindow = 32 * 1024;
        });
        var connection = await client.ConnectAsync(server.EndPoint);

        var slow = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("careless"), consume: false);
        var healthy = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("careful"));

        await slow.Closed.Within();
        var reset = slow.Event<MuxStreamResetEvent>();
        Assert.Equal((ResetReason.SlowConsumer, false), (reset?.Reason, reset?.IsLocal));
        await healthy.WaitForBytesAsync(2 * 1024 * 1024, TimeSpan.FromSeconds(30));
        Assert.True(HasPattern(healthy.Received));
        Assert.True(connection.IsAcceptingStreams);
    }

    [Fact]
    public async Task A_gateway_stream_without_credit_turns_unwritable_while_other_streams_flow()
    {
        const int window = 16 * 1024;
        await using var server = await MuxTestServer.StartAsync(
            stream => stream.OpenRequest.CoupleId == "paused" ? new RecordingHandler { StartPaused = true } : new EchoHandler(),
            o => o.InitialStreamWindow = window);
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var paused = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("paused"));
        var echo = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("echo"));

        // Four windows' worth into a stream whose shard pipeline does not read.
        var payload = Enumerable.Range(0, 4 * window).Select(i => (byte)i).ToArray();
        WriteTasks.Observe(paused.Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(payload)));
        await Eventually.TrueAsync(() => paused.UnwritableCount > 0 && !paused.Channel.IsWritable, "the paused stream turns unwritable");

        // The other stream on the same connection is not affected.
        var ping = new byte[] { 1, 2, 3, 4, 5 };
        await echo.Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(ping)).Within();
        await echo.WaitForBytesAsync(MuxTestClient.Request().AuthFrame.Length + ping.Length);

        // The shard reads again: credit flows back, everything arrives, the stream is writable again.
        await Eventually.TrueAsync(() => !server.StreamHandlers.IsEmpty, "the shard has the paused stream");
        var shardSide = server.Handler<RecordingHandler>(0);
        Assert.Equal(0, shardSide.ReceivedCount);
        shardSide.ResumeReading();
        var auth = MuxTestClient.Request().AuthFrame.ToArray();
        await shardSide.WaitForBytesAsync(auth.Length + payload.Length);
        Assert.Equal(auth.Concat(payload).ToArray(), shardSide.Received);
        await Eventually.TrueAsync(() => paused.Channel.IsWritable, "the paused stream is writable again");
    }

    [Fact]
    public async Task Streams_stay_intact_while_the_mux_connection_keeps_backing_up()
    {
        // A tiny kernel send buffer and water marks on the shard's mux socket make its writes go
        // asynchronous and its writability flip constantly, so streams keep parking and resuming
        // from DotNetty's write-completion path (where writing inline corrupted the stream). Each stream carries its own byte pattern: a frame
        // replayed, lost or crossed into another stream would show.
        const int streams = 12;
        const long total = 96 * 1024;
        await using var server = await MuxTestServer.StartAsync(
            stream => new FirehoseHandler(total, 3000, respectWritability: true, seed: (int)stream.StreamId),
            o => o.MaxDataPayload = 1024,
            configureBootstrap: b => b
                .ChildOption(ChannelOption.SoSndbuf, 2048)
                .ChildOption(ChannelOption.WriteBufferHighWaterMark, 2048)
                .ChildOption(ChannelOption.WriteBufferLowWaterMark, 1024));
        await using var client = new MuxTestClient().Configure(o => o.CreditMode = MuxCreditMode.Explicit);
        var connection = await client.ConnectAsync(server.EndPoint);

        var handlers = new List<RecordingHandler>();
        for (var i = 0; i < streams; i++)
        {
            handlers.Add(await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request($"c{i}")));
        }

        foreach (var handler in handlers)
        {
            await handler.WaitForBytesAsync(total, TimeSpan.FromSeconds(30));
            var seed = (int)handler.Channel!.StreamId;
            var received = handler.Received;
            Assert.Equal(total, received.Length);
            Assert.True(received.Select((b, i) => b == FirehoseHandler.PatternAt(i, seed)).All(ok => ok), $"stream {seed} bytes corrupted");
        }
    }
}
