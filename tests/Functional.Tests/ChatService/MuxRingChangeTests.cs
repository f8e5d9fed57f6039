using System.Net;
using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// Ring changes seen from the gateway side of real mux connections: the old owner resets a moved
/// couple's stream with Moved (carrying its epoch) and answers new Opens with NotOwner; an Open at
/// an epoch the shard has not seen yet waits for its watcher; a drain sends GoAway(Draining).
/// Each test has its own ZooKeeper root and shard processes.
/// </summary>
public sealed class MuxRingChangeTests : IAsyncLifetime
{
    private static readonly string[] Both = ["sa", "sb"];
    private readonly ShardCluster _cluster = new();
    private MuxTestGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _gateway = new MuxTestGateway(MuxTestGateway.KeysFrom(_cluster.Keys.ClusterKeyFile));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_joining_shard_takes_the_couple_the_old_owner_resets_its_stream_with_Moved_and_answers_NotOwner()
    {
        var couple = ShardCluster.CoupleOwnedBy("sb", Both, ShardCluster.NewCouple("c-mmove"));
        var a = await _cluster.StartAsync("sa");
        var before = await AdminRing.EpochAsync(a);
        var toA = await _gateway.ConnectAsync(a.Mux, "sa");
        var (stream, _) = await MuxTestGateway.OpenAndAuthAsync(toA, couple, before, _cluster.Keys.Token("alice", couple), "phone");

        var b = await _cluster.StartAsync("sb");

        var moved = await stream.ResetAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ResetReason.Moved, moved.Reason);
        Assert.True(moved.Epoch > before, $"Moved carries the new epoch ({moved.Epoch}), above {before}");
        Assert.Equal(moved.Epoch, await AdminRing.EpochAsync(a));
        Assert.DoesNotContain(await stream.ReadUntilClosedAsync(), p => p.Kind == PacketKind.Error);

        // An Open at the new epoch on the old owner: NotOwner with its epoch, without an AuthOk.
        var late = await MuxTestGateway.OpenAsync(toA, couple, moved.Epoch, new Auth { Token = _cluster.Keys.Token("alice", couple), DeviceId = "phone" });
        var refused = await late.ResetAsync();
        Assert.Equal((ResetReason.NotOwner, moved.Epoch), (refused.Reason, refused.Epoch));

        // The new owner serves it, with Migrated: AuthOk then ResyncHint.
        var toB = await _gateway.ConnectAsync(b.Mux, "sb");
        var (again, _) = await MuxTestGateway.OpenAndAuthAsync(toB, couple, await AdminRing.WaitForMembersAsync(b, 2), _cluster.Keys.Token("alice", couple), "phone", migrated: true);
        await again.NextAsync(PacketKind.ResyncHint);
    }

    [Fact]
    public async Task An_Open_at_an_epoch_above_the_shards_waits_for_the_ring_and_then_answers()
    {
        string[] members = ["sa", "sx"];
        var stays = ShardCluster.CoupleOwnedBy("sa", members, ShardCluster.NewCouple("c-stay"));
        var leaves = ShardCluster.CoupleOwnedBy("sx", members, ShardCluster.NewCouple("c-leave"));
        var a = await _cluster.StartAsync("sa");
        var epoch = await AdminRing.EpochAsync(a);

        // A second ring member the test registers itself, so the ring moves at a moment it chooses.
        await using var zk = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = TestServers.ZooKeeper, SessionTimeout = TimeSpan.FromSeconds(4) });
        await using var sx = new ShardRegistration(zk, new ShardRegistrationOptions { Root = _cluster.Root, ShardId = "sx", Host = "127.0.0.1", MuxPort = 1 });
        Assert.Equal(MembershipResult.Ok, await sx.RegisterAsync().WaitAsync(TimeSpan.FromSeconds(15)));

        // Both streams come from a gateway that already sees epoch + 1 (sa and sx in the ring).
        var connection = await _gateway.ConnectAsync(a.Mux, "sa");
        var staying = await MuxTestGateway.OpenAsync(connection, stays, epoch + 1, new Auth { Token = _cluster.Keys.Token("alice", stays), DeviceId = "phone" });
        var leaving = await MuxTestGateway.OpenAsync(connection, leaves, epoch + 1, new Auth { Token = _cluster.Keys.Token("alice", leaves), DeviceId = "phone" });
        Assert.Equal(MembershipResult.Ok, await sx.JoinRingAsync().WaitAsync(TimeSpan.FromSeconds(15)));

        // At the shard's own epoch sa owned both couples; having waited for epoch + 1 it keeps one
        // and refuses the other with that epoch.
        Assert.Equal(PacketKind.AuthOk, (await staying.ReceiveAsync(TimeSpan.FromSeconds(15)))?.Kind);
        var refused = await leaving.ResetAsync(TimeSpan.FromSeconds(15));
        Assert.Equal((ResetReason.NotOwner, epoch + 1), (refused.Reason, refused.Epoch));
        Assert.Empty(await leaving.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task A_drain_sends_GoAway_Draining_moves_the_streams_and_exits_0()
    {
        var couple = ShardCluster.CoupleOwnedBy("sb", Both, ShardCluster.NewCouple("c-mdrain"));
        var a = await _cluster.StartAsync("sa");
        var b = await _cluster.StartAsync("sb");
        var epoch = await AdminRing.WaitForMembersAsync(b, 2);
        var toB = await _gateway.ConnectAsync(b.Mux, "sb");
        var (stream, _) = await MuxTestGateway.OpenAndAuthAsync(toB, couple, epoch, _cluster.Keys.Token("alice", couple), "phone");

        var drain = await AdminRing.DrainAsync(b);
        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);

        var goAway = await toB.GoAwayReceived.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(GoAwayReason.Draining, goAway?.Reason);
        Assert.Equal(ResetReason.Moved, (await stream.ResetAsync(TimeSpan.FromSeconds(15))).Reason);
        var exit = await b.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit code {exit}:\n{b.Output}");

        var toA = await _gateway.ConnectAsync(a.Mux, "sa");
        var (moved, _) = await MuxTestGateway.OpenAndAuthAsync(toA, couple, await AdminRing.WaitForMembersAsync(a, 1), _cluster.Keys.Token("alice", couple), "phone", migrated: true);
        await moved.NextAsync(PacketKind.ResyncHint);
    }
}
