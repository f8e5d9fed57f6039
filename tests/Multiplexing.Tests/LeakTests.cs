using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Tests.Multiplexing.Support;
using DotNetty.Buffers;

namespace Chat.Tests.Multiplexing;

[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public sealed class LeakTestsCollection;

/// <summary>
/// Runs traffic through every path that owns buffers (echo, credit stalls, SlowConsumer, protocol
/// errors, connections closed with data queued both ways) under the paranoid leak detector, then
/// forces collection: no buffer may be reported leaked, no write task left faulted and unobserved.
/// Runs alone, after the parallel tests, so its counters see only settled traffic.
/// </summary>
[Collection(nameof(LeakTests))]
public class LeakTests
{
    [Fact]
    public async Task No_buffer_leaks_and_no_unobserved_task_failures_across_all_paths()
    {
        await RunWorkloadAsync();
        LeakDetection.CollectAndReport();

        Assert.Equal(0, LeakDetection.Leaks);
        Assert.True(LeakDetection.UnobservedTaskExceptions == 0, string.Join("\n---\n", LeakDetection.UnobservedMessages.Take(3)));

        // The detector is live: a buffer dropped on purpose is reported.
        DropABuffer();
        LeakDetection.CollectAndReport();
        PooledByteBufferAllocator.Default.Buffer(16).Release();
        LeakDetection.CollectAndReport();
        Assert.True(LeakDetection.Leaks > 0, "the leak detector reports a dropped buffer");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropABuffer() => PooledByteBufferAllocator.Default.Buffer(64).WriteInt(1);

    private static async Task RunWorkloadAsync()
    {
        await using var server = await MuxTestServer.StartAsync(
            stream => stream.OpenRequest.CoupleId switch
            {
                "careless" => new FirehoseHandler(1024 * 1024, 16 * 1024, respectWritability: false),
                "paused" => new RecordingHandler { StartPaused = true },
                _ => new EchoHandler(),
            },
            o =>
            {
                o.InitialStreamWindow = 8 * 1024;
                o.MaxQueuedBytesPerStream = 128 * 1024;
            });
        await using var client = new MuxTestClient().Configure(o =>
        {
            o.CreditMode = MuxCreditMode.Explicit;
            o.InitialStreamWindow = 8 * 1024;
        });
        var connection = await client.ConnectAsync(server.EndPoint);

        // Echo through small windows.
        var echo = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("echo"));
        var payload = new byte[40 * 1024];
        new Random(7).NextBytes(payload);
        await echo.Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(payload)).Within();
        await echo.WaitForBytesAsync(MuxTestClient.Request().AuthFrame.Length + payload.Length);
        await echo.Channel.CloseAsync().Within();

        // SlowConsumer reset with the shard's queue full and the gateway holding unconsumed reads.
        var slow = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("careless"), consume: false);
        await slow.Closed.Within();

        // A protocol violation on another connection.
        await using (var bad = await MuxWirePeer.ConnectAsync(server.EndPoint))
        {
            await bad.HandshakeAsync(TestKeys.Cluster());
            await bad.OpenAsync(1, "paused");
            await bad.WriteFrameAsync(MuxFrameType.Data, MuxFrameFlags.None, 1, new byte[100]);
            await bad.WriteFrameAsync(MuxFrameType.Data, MuxFrameFlags.None, 99, [1]);
            await bad.ReadUntilClosedAsync();
        }

        // Connection closed with bytes queued both ways: the shard stream has unread Data queued,
        // the gateway stream has writes waiting for credit.
        var paused = await MuxTestClient.OpenRecordingAsync(connection, MuxTestClient.Request("paused"));
        _ = paused.Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(new byte[64 * 1024])).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await Eventually.TrueAsync(() => !paused.Channel.IsWritable, "the paused stream runs out of credit");
        await connection.CloseAsync().Within();
        await paused.Closed.Within();
        await Eventually.TrueAsync(() => server.Initializer.ConnectionCount == 0, "the shard drops every connection");
    }
}
