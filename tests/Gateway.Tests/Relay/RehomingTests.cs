using Chat.Gateway.Relay;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using Chat.Tests.Gateway.Support;

namespace Chat.Tests.Gateway.Relay;

/// <summary>
/// Streams move to the couple's new owner without closing the client's connection: the gateway
/// replays the stored Auth frame (the echo shards send it back, which is how the client sees that
/// the new stream is open) and flushes the frames it held meanwhile.
/// </summary>
[Collection(RelayCollection.Name)]
public sealed class RehomingTests
{
    // The client sends only once the gateway has seen the Reset. A frame that crosses the shard's
    // Reset(Moved) on the wire reaches the old shard after the stream ended there and is dropped (mux
    // rule: Data for an ended stream is ignored); the client retries unacknowledged sends with the
    // same clientMsgId (ARCHITECTURE.md, ring changes). Sending right after the shard-side reset made
    // this test hang whenever the frame won that race (docs/gateway.md).
    [Fact]
    public async Task Reset_Moved_reopens_at_the_new_owner_with_Migrated_and_the_client_stays_connected()
    {
        await using var gateway = await RelayHarness.StartAsync();
        var couple = gateway.CoupleOwnedBy("s1");
        await using var client = await gateway.ConnectAsync(couple);
        var session = gateway.Clients.Sessions().Single();
        var auth = gateway.Shards[0].Streams.Single().OpenRequest.AuthFrame.ToArray();

        // The old owner moves the couple before this gateway's ring shows it (the usual race): the
        // gateway waits for a ring that gives the couple elsewhere and holds the client's frames.
        await gateway.Shards[0].Streams.Single().ResetAsync(ResetReason.Moved).Within();
        await Eventually.TrueAsync(() => session.State == SessionState.Rehoming, "the gateway saw the Reset(Moved)");
        await client.SendAsync(TestFrames.Numbered(1, 100));
        await Eventually.TrueAsync(() => session.HeldBytes > 0, "the client's frame is held while the ring wait lasts");
        gateway.Ring.Set(2, RelayHarness.Member(gateway.Shards[1]));

        Assert.Equal(auth, await client.ReadFrameAsync());
        Assert.Equal(1, TestFrames.NumberOf((await client.ReadFrameAsync())!));
        await client.SendAsync(TestFrames.Numbered(2, 100));
        Assert.Equal(2, TestFrames.NumberOf((await client.ReadFrameAsync())!));

        var moved = Assert.Single(gateway.Shards[1].Streams);
        Assert.True(moved.OpenRequest.Migrated);
        Assert.Equal(2, moved.OpenRequest.RingEpoch);
        Assert.Equal(1, gateway.Clients.Count);
        Assert.Equal(0, session.HeldBytes);
    }

    [Fact]
    public async Task NotOwner_waits_for_the_shards_epoch_then_opens_at_the_owner_of_that_ring()
    {
        await using var gateway = await RelayHarness.StartAsync();
        var couple = gateway.CoupleOwnedBy("s1");
        gateway.Shards[0].Admission = _ => MuxAdmission.Reject(ResetReason.NotOwner, 5, "ring moved");
        _ = Task.Delay(300).ContinueWith(_ => gateway.Ring.Set(5, RelayHarness.Member(gateway.Shards[1])), TaskScheduler.Default);

        await using var client = await gateway.ConnectAsync(couple);

        var opened = Assert.Single(gateway.Shards[1].Streams);
        Assert.False(opened.OpenRequest.Migrated);
        Assert.Equal(5, opened.OpenRequest.RingEpoch);
    }

    [Fact]
    public async Task A_lost_shard_that_leaves_the_ring_is_replaced_without_closing_its_clients()
    {
        await using var gateway = await RelayHarness.StartAsync();
        var couples = new[] { gateway.CoupleOwnedBy("s1"), gateway.CoupleOwnedBy("s1", 1), gateway.CoupleOwnedBy("s2") };
        var clients = new List<TestClient>();
        foreach (var couple in couples)
        {
            clients.Add(await gateway.ConnectAsync(couple));
        }

        // A crash: the connections drop now, the ring changes when the shard's session expires.
        await gateway.Shards[0].KillAsync();
        await Task.Delay(300);
        gateway.Ring.Set(2, RelayHarness.Member(gateway.Shards[1]));

        for (var i = 0; i < clients.Count; i++)
        {
            if (i < 2)
            {
                Assert.NotNull(await clients[i].ReadFrameAsync()); // the replayed Auth, echoed by s2
            }

            await clients[i].SendAsync(TestFrames.Numbered(i, 50));
            Assert.Equal(i, TestFrames.NumberOf((await clients[i].ReadFrameAsync())!));
        }

        Assert.Equal(3, gateway.Shards[1].Streams.Count);
        Assert.Equal(3, gateway.Clients.Count);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_shard_unreachable_but_still_in_the_ring_gets_its_clients_closed_after_the_grace_period()
    {
        await using var gateway = await RelayHarness.StartAsync(pool: o => o.UnreachableGrace = TimeSpan.FromSeconds(1));
        await using var stranded = await gateway.ConnectAsync(gateway.CoupleOwnedBy("s1"));
        await using var other = await gateway.ConnectAsync(gateway.CoupleOwnedBy("s2"));

        await gateway.Shards[0].KillAsync();

        var error = TestFrames.Decode((await stranded.ReadFrameAsync(TimeSpan.FromSeconds(10)))!);
        Assert.Equal(ErrorCode.Unavailable, error?.Error?.Code);
        Assert.True(await stranded.ClosedWithinAsync(TimeSpan.FromSeconds(5)));

        await other.SendAsync(TestFrames.Numbered(9, 10));
        Assert.Equal(9, TestFrames.NumberOf((await other.ReadFrameAsync())!));
    }
}
