using System.Net;
using System.Net.Sockets;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing;

/// <summary>Connection-level events reach every stream as typed user events.</summary>
public class GoAwayTests
{
    [Fact]
    public async Task A_draining_shard_stops_new_streams_and_existing_ones_hear_it_but_go_on()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var streams = new[] { await MuxTestClient.OpenRecordingAsync(connection), await MuxTestClient.OpenRecordingAsync(connection) };
        await Eventually.TrueAsync(() => server.StreamHandlers.Count == 2, "the shard processed both Opens");

        await server.Initializer.GoAwayAsync(GoAwayReason.Draining, "leaving the ring").Within();

        var goAway = await connection.GoAwayReceived.Within();
        Assert.Equal((GoAwayReason.Draining, 2u, "leaving the ring"), (goAway?.Reason, goAway?.LastStreamId, goAway?.Text));
        foreach (var stream in streams)
        {
            await stream.WaitForEventAsync<MuxGoAwayEvent>();
        }

        Assert.False(connection.IsAcceptingStreams);
        var refused = await connection.OpenStreamAsync(MuxTestClient.Request(), new ActionChannelInitializer<IChannel>(_ => { })).Within();
        Assert.Equal(MuxOpenStatus.GoingAway, refused.Status);

        await streams[0].Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(new byte[] { 5 })).Within();
        await streams[0].WaitForBytesAsync(MuxTestClient.Request().AuthFrame.Length + 1);
    }

    [Fact]
    public async Task A_shard_shutting_down_ends_every_stream_with_goaway_then_connection_lost()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var stream = await MuxTestClient.OpenRecordingAsync(connection);

        await server.Initializer.GoAwayAsync(GoAwayReason.Shutdown, "bye").Within();

        await stream.Closed.Within();
        await connection.Closed.Within();
        Assert.Equal(GoAwayReason.Shutdown, stream.Event<MuxGoAwayEvent>()?.Reason);
        Assert.Equal(MuxConnectionLossReason.GoAway, stream.Event<MuxConnectionLostEvent>()?.Reason);
        Assert.True(stream.Events.ToList().IndexOf(stream.Event<MuxGoAwayEvent>()!) < stream.Events.ToList().IndexOf(stream.Event<MuxConnectionLostEvent>()!));
    }

    [Fact]
    public async Task Streams_the_shard_never_processed_are_refused_on_goaway()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var client = new MuxTestClient();
        var connecting = client.TryConnectAsync((IPEndPoint)listener.LocalEndpoint);
        await using var shard = await MuxWirePeer.AcceptAsync(listener);
        await shard.ServerHandshakeAsync(TestKeys.Cluster(), "shard-raw", ProtocolErrorTests.Settings());
        var connection = (await connecting).Connection!;
        var streams = new List<RecordingHandler>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await MuxTestClient.OpenRecordingAsync(connection));
        }

        await shard.WriteControlAsync(MuxFrameType.GoAway, 0, new MuxGoAway { LastStreamId = 1, Reason = GoAwayReason.Draining, Text = "draining" });

        await streams[1].Closed.Within();
        await streams[2].Closed.Within();
        Assert.Equal((ResetReason.Refused, true), (streams[1].Event<MuxStreamResetEvent>()?.Reason, streams[1].Event<MuxStreamResetEvent>()?.IsLocal));
        await streams[0].WaitForEventAsync<MuxGoAwayEvent>();
        Assert.False(streams[0].Closed.IsCompleted);
        Assert.Equal(1, connection.StreamCount);
    }

    [Fact]
    public async Task Closing_the_gateway_connection_ends_the_shard_streams_with_connection_lost()
    {
        await using var server = await MuxTestServer.StartAsync(() => new RecordingHandler());
        await using var client = new MuxTestClient();
        var connection = await client.ConnectAsync(server.EndPoint);
        var stream = await MuxTestClient.OpenRecordingAsync(connection);
        await Eventually.TrueAsync(() => !server.StreamHandlers.IsEmpty, "the shard accepts the stream");

        await connection.CloseAsync().Within();

        var shardSide = server.Handler<RecordingHandler>(0);
        await shardSide.Closed.Within();
        await stream.Closed.Within();
        Assert.Equal(MuxConnectionLossReason.Closed, shardSide.Event<MuxConnectionLostEvent>()?.Reason);
        Assert.Equal(MuxConnectionLossReason.LocalClose, stream.Event<MuxConnectionLostEvent>()?.Reason);
        Assert.Null(await connection.GoAwayReceived.Within());
        await Eventually.TrueAsync(() => server.Initializer.ConnectionCount == 0, "the shard drops the connection");
    }
}
