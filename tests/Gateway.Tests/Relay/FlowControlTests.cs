using Chat.Tests.Gateway.Support;

namespace Chat.Tests.Gateway.Relay;

/// <summary>Per-stream back-pressure: one client that stops reading holds only its own stream.</summary>
[Collection(RelayCollection.Name)]
public sealed class FlowControlTests
{
    // Under this test's back-pressure the mux socket used to be flushed from inside a client socket's
    // write completion on the same event loop and sent that socket's bytes (the shard read a frame
    // header of unknown type); Multiplexing.Tests SharedLoopTests pins the cause.
    [Fact]
    public async Task A_client_that_stops_reading_pauses_only_itself_and_the_gateway_holds_a_bounded_amount()
    {
        // One shard, one mux connection: both clients' streams share it.
        await using var gateway = await RelayHarness.StartAsync(shardCount: 1, pool: o => o.ConnectionsPerShard = 1);
        await using var slow = await gateway.ConnectAsync("c-slow", receiveBuffer: 4096);
        await using var fast = await gateway.ConnectAsync("c-fast");
        Assert.Equal(1, gateway.Pool.LiveConnections("s1"));

        // The slow client sends 4 MiB of frames and reads nothing: its echoes pile up, the shard's
        // window for its stream runs out, the shard stops reading it, the gateway stops reading it.
        var frames = Enumerable.Range(0, 256).Select(i => TestFrames.Numbered(i, 16 * 1024)).ToArray();
        var sending = Task.Run(async () =>
        {
            foreach (var frame in frames)
            {
                await slow.SendAsync(frame).WaitAsync(TimeSpan.FromSeconds(60));
            }
        });
        var slowChannel = gateway.Clients.Sessions().Single(s => s.CoupleId == "c-slow").Client;
        await Eventually.TrueAsync(() => !slowChannel.Configuration.AutoRead, "the gateway stopped reading the slow client");

        // Meanwhile the other stream on the same mux connection goes on.
        for (var i = 0; i < 50; i++)
        {
            await fast.SendAsync(TestFrames.Numbered(i, 1000));
            Assert.Equal(i, TestFrames.NumberOf((await fast.ReadFrameAsync(TimeSpan.FromSeconds(5)))!));
        }

        // What the gateway holds for the slow client is bounded by one stream window plus a frame.
        var pending = slowChannel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0;
        Assert.InRange(pending, 0, 2 * (64 * 1024 + 5));

        // The slow client reads again: everything arrives, in order.
        foreach (var frame in frames)
        {
            Assert.Equal(frame, await slow.ReadFrameAsync());
        }

        await sending.Within();
    }
}
