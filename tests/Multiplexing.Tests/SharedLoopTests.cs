using System.Net;
using System.Net.Sockets;
using Chat.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.Tests.Multiplexing;

/// <summary>
/// The mux connection shares its event loop with other sockets (the gateway's client sockets) and is
/// driven from their write completions (credit returns once the client write completed). DotNetty
/// 0.7.6 keeps one thread-local gathering list for every socket on a loop thread and completes write
/// promises before clearing it; a socket flushed from such a continuation sends the other socket's
/// bytes first. See docs/multiplexing.md.
/// </summary>
public class SharedLoopTests
{
    [Fact]
    public async Task Credit_returned_from_another_sockets_write_completion_on_the_same_loop_leaves_the_mux_stream_intact()
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
        var stream = await MuxTestClient.OpenRecordingAsync(connection, consume: false);
        var loop = stream.Channel!.EventLoop;

        // A plain socket on the mux connection's own loop, standing in for a gateway client socket.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var side = await new Bootstrap()
            .Group(loop)
            .Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Handler(new ActionChannelInitializer<IChannel>(_ => { }))
            .ConnectAsync(listener.LocalEndpoint)
            .Within();
        using var peer = await listener.AcceptSocketAsync().Within();
        var sideReceived = new MemoryStream();
        var reading = ReadAllAsync(peer, sideReceived);

        // The relay recipe: write to the client socket, consume the stream's bytes when that write
        // completed. A small write to an idle loopback socket completes inside the flush, i.e. inside
        // DotNetty's RemoveBytes, with the side socket's bytes still in the loop's gathering list.
        long consumed = 0;
        var sideBytes = 0;
        while (consumed < total)
        {
            var target = Math.Min(total, consumed + (window / 2));
            await Eventually.TrueAsync(() => stream.ReceivedCount >= target || stream.Closed.IsCompleted, $"{target} bytes on the stream");
            Assert.False(stream.Closed.IsCompleted, $"the stream closed: {string.Join(", ", stream.Events)}");

            var count = (int)(stream.ReceivedCount - consumed);
            consumed += count;
            sideBytes += 300;
            await RunOnAsync(loop, () =>
            {
                var written = side.WriteAsync(Unpooled.WrappedBuffer(Enumerable.Repeat((byte)0xEE, 300).ToArray()));
                written.ContinueWith(
                    _ => stream.Channel.ConsumeBytes(count),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                side.Flush();
            });
        }

        var received = stream.Received;
        Assert.Equal(total, received.Length);
        Assert.True(received.Select((b, i) => b == FirehoseHandler.PatternAt(i)).All(ok => ok), "stream bytes corrupted");
        Assert.True(connection.IsAcceptingStreams, "the mux connection is still up");

        await side.CloseAsync().Within();
        await reading.Within();
        Assert.Equal(Enumerable.Repeat((byte)0xEE, sideBytes).ToArray(), sideReceived.ToArray());
    }

    private static Task RunOnAsync(IEventLoop loop, Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Execute(() =>
        {
            action();
            done.TrySetResult();
        });
        return done.Task.Within();
    }

    private static async Task ReadAllAsync(Socket socket, MemoryStream into)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            into.Write(buffer, 0, n);
        }
    }
}
