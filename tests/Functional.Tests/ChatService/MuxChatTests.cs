using System.Text;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// A real shard process reached the way gateways reach it: the real mux client (cluster key from
/// the shard's key file) over a real TCP connection to the shard's mux port, real ZooKeeper and
/// Redis. Each stream carries one client's chat exactly as a direct connection would.
/// </summary>
public sealed class MuxChatTests(SingleShardFixture fixture) : IClassFixture<SingleShardFixture>, IAsyncLifetime
{
    private MuxTestGateway _gateway = null!;

    private ShardProcess Shard => fixture.Shard;

    private TestKeys Keys => fixture.Cluster.Keys;

    public Task InitializeAsync()
    {
        _gateway = new MuxTestGateway(MuxTestGateway.KeysFrom(Keys.ClusterKeyFile));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static Send Text(string id, string text) => new() { ClientMsgId = id, Kind = MessageKind.Text, Body = Encoding.UTF8.GetBytes(text) };

    [Fact]
    public async Task Two_devices_chat_through_two_streams_on_one_mux_connection()
    {
        var couple = ShardCluster.NewCouple("c-mux");
        var epoch = await AdminRing.EpochAsync(Shard);
        var connection = await _gateway.ConnectAsync(Shard.Mux, Shard.ShardId);

        var (alice, aliceOk) = await MuxTestGateway.OpenAndAuthAsync(connection, couple, epoch, Keys.Token("alice", couple), "phone");
        Assert.Equal((alice: "alice", couple, 0L), (alice: aliceOk.UserId, aliceOk.CoupleId, aliceOk.LatestSeq));
        var (bob, bobOk) = await MuxTestGateway.OpenAndAuthAsync(connection, couple, epoch, Keys.Token("bob", couple), "phone");
        Assert.True(bobOk.PartnerOnline);
        Assert.Equal(2, connection.StreamCount);
        var online = (await alice.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("bob", true), (online.UserId, online.Online));

        await alice.SendAsync(Text("m-1", "hello over the mux"));
        await alice.SendAsync(Text("m-2", "second"));
        Assert.Equal(1, (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq);
        Assert.Equal(2, (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq);
        var first = (await bob.NextAsync(PacketKind.Message)).Message!;
        var second = (await bob.NextAsync(PacketKind.Message)).Message!;
        Assert.Equal((1L, "alice", "hello over the mux"), (first.Seq, first.SenderId, Encoding.UTF8.GetString(first.Body!)));
        Assert.Equal(2, second.Seq);

        await bob.SendAsync(Text("r-1", "hi back"));
        Assert.Equal(3, (await bob.NextAsync(PacketKind.Ack)).Ack!.Seq);
        Assert.Equal("hi back", Encoding.UTF8.GetString((await alice.NextAsync(PacketKind.Message)).Message!.Body!));

        // Ending one stream tells the partner (Presence), and the other stream goes on.
        await bob.Channel!.CloseAsync();
        var gone = (await alice.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("bob", false), (gone.UserId, gone.Online));
        await alice.SendAsync(new Ping { Nonce = 42 });
        Assert.Equal(42, (await alice.NextAsync(PacketKind.Pong)).Pong!.Nonce);
    }

    [Fact]
    public async Task Data_for_a_stream_never_opened_closes_that_mux_connection_and_no_other()
    {
        var couple = ShardCluster.NewCouple("c-forge");
        var epoch = await AdminRing.EpochAsync(Shard);
        var good = await _gateway.ConnectAsync(Shard.Mux, Shard.ShardId);
        var (alice, _) = await MuxTestGateway.OpenAndAuthAsync(good, couple, epoch, Keys.Token("alice", couple), "phone");

        await using var forger = await MuxRawPeer.ConnectAsync(Shard.Mux);
        Assert.Equal(MuxFrameType.HelloOk, await forger.HandshakeAsync(MuxTestGateway.KeysFrom(Keys.ClusterKeyFile)));
        await forger.WriteFrameAsync(MuxFrameType.Data, 7, [0, 0, 0, 1, 0]);
        var goAway = await forger.ReadUntilClosedAsync();
        Assert.NotNull(goAway);
        Assert.Equal(GoAwayReason.ProtocolError, goAway.Reason);

        // The other gateway connection and its stream are untouched.
        await alice.SendAsync(Text("after-forge", "still here"));
        Assert.Equal(1, (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq);
        Assert.True(good.IsAcceptingStreams);
    }

    [Fact]
    public async Task A_gateway_without_the_cluster_key_gets_no_stream_and_is_closed()
    {
        await using var stranger = new MuxTestGateway(MuxTestGateway.ForgedKeys(Keys.ClusterKeyFile), "gw-stranger");
        var refused = await stranger.TryConnectAsync(Shard.Mux, Shard.ShardId);
        Assert.Equal(Chat.Multiplexing.MuxConnectStatus.Rejected, refused.Status);
        Assert.Null(refused.Connection);

        // The same on the wire: the Hello with the wrong key gets GoAway(HandshakeFailed) and a close;
        // an Open sent anyway is never answered with a stream.
        await using var raw = await MuxRawPeer.ConnectAsync(Shard.Mux);
        Assert.Equal(MuxFrameType.GoAway, await raw.HandshakeAsync(MuxTestGateway.ForgedKeys(Keys.ClusterKeyFile)));
        Assert.Null(await raw.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task A_token_of_another_couple_on_a_stream_ends_that_stream_only()
    {
        var couple = ShardCluster.NewCouple("c-own");
        var other = ShardCluster.NewCouple("c-other");
        var epoch = await AdminRing.EpochAsync(Shard);
        var connection = await _gateway.ConnectAsync(Shard.Mux, Shard.ShardId);
        var (alice, _) = await MuxTestGateway.OpenAndAuthAsync(connection, couple, epoch, Keys.Token("alice", couple), "phone");

        var intruder = await MuxTestGateway.OpenAsync(connection, couple, epoch, new Auth { Token = Keys.Token("mallory", other), DeviceId = "phone" });
        var before = await intruder.ReadUntilClosedAsync();
        Assert.Equal(ErrorCode.AuthFailed, Assert.Single(before).Error!.Code);
        var reset = await intruder.ResetAsync();
        Assert.Equal(ResetReason.ProtocolError, reset.Reason);

        await alice.SendAsync(Text("after-intruder", "fine"));
        Assert.Equal(1, (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq);
        Assert.True(connection.IsAcceptingStreams);
    }

    [Fact]
    public async Task A_migrated_stream_gets_ResyncHint_with_the_latest_seq_after_AuthOk()
    {
        var couple = ShardCluster.NewCouple("c-migr");
        var epoch = await AdminRing.EpochAsync(Shard);
        var connection = await _gateway.ConnectAsync(Shard.Mux, Shard.ShardId);
        var (alice, _) = await MuxTestGateway.OpenAndAuthAsync(connection, couple, epoch, Keys.Token("alice", couple), "phone");
        await alice.SendAsync(Text("before-move", "one"));
        Assert.Equal(1, (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq);

        var moved = await MuxTestGateway.OpenAsync(connection, couple, epoch, new Auth { Token = Keys.Token("bob", couple), DeviceId = "tablet" }, migrated: true);
        var authOk = await moved.ReceiveAsync();
        Assert.Equal(PacketKind.AuthOk, authOk?.Kind);
        Assert.Equal(1, authOk!.AuthOk!.LatestSeq);
        Assert.Equal(1, (await moved.NextAsync(PacketKind.ResyncHint)).ResyncHint!.LatestSeq);

        // A stream that was not migrated gets none.
        var (fresh, _) = await MuxTestGateway.OpenAndAuthAsync(connection, couple, epoch, Keys.Token("bob", couple), "phone");
        await fresh.SendAsync(new Ping { Nonce = 7 });
        await fresh.NextAsync(PacketKind.Pong);
        Assert.DoesNotContain(await DrainAsync(fresh), p => p.Kind == PacketKind.ResyncHint);
    }

    // What a stream received so far, without waiting (packets before a Pong answer were already queued).
    private static async Task<List<ClientPacket>> DrainAsync(MuxTestStream stream)
    {
        var packets = new List<ClientPacket>();
        await stream.Channel!.CloseAsync();
        while (await stream.ReceiveAsync() is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }
}
