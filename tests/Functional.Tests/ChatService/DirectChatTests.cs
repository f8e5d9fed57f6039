using System.Text;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// Two users of one couple, three devices (alice's phone and laptop, bob's phone), all over direct
/// TCP to one real shard process with the real Redis: messages, acks, seq order, typing, presence,
/// read marks, sync after a disconnect, and retries.
/// </summary>
public sealed class DirectChatTests(SingleShardFixture fixture) : IClassFixture<SingleShardFixture>
{
    private ShardProcess Shard => fixture.Shard;

    private Task<(ChatTestClient Client, AuthOk AuthOk)> ConnectAsync(string user, string couple, string device, long lastSeq = 0) =>
        ChatTestClient.ConnectAndAuthAsync(Shard.Direct, fixture.Cluster.Keys.Token(user, couple), device, lastSeq);

    private static Send Text(string id, string text) => new() { ClientMsgId = id, Kind = MessageKind.Text, Body = Encoding.UTF8.GetBytes(text) };

    [Fact]
    public async Task Messages_are_acked_and_delivered_to_every_other_device_in_seq_order()
    {
        var couple = ShardCluster.NewCouple("c-msg");
        var (alicePhone, first) = await ConnectAsync("alice", couple, "phone");
        await using var _ = alicePhone;
        Assert.Equal("alice", first.UserId);
        Assert.Equal(couple, first.CoupleId);
        Assert.False(first.PartnerOnline);
        Assert.Equal(0, first.LatestSeq);

        var (bobPhone, bobOk) = await ConnectAsync("bob", couple, "phone");
        await using var __ = bobPhone;
        Assert.True(bobOk.PartnerOnline);
        var presence = (await bobPhone.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("alice", true, 1), (presence.UserId, presence.Online, presence.Devices));
        var bobOnline = (await alicePhone.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("bob", true, 1), (bobOnline.UserId, bobOnline.Online, bobOnline.Devices));

        var (aliceLaptop, _) = await ConnectAsync("alice", couple, "laptop");
        await using var ___ = aliceLaptop;
        var aliceTwice = (await bobPhone.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("alice", true, 2), (aliceTwice.UserId, aliceTwice.Online, aliceTwice.Devices));

        // Alice sends five messages back to back from her phone; bob sends one in between.
        for (var i = 1; i <= 5; i++)
        {
            await alicePhone.SendAsync(Text($"a-{i}", $"hello {i}"));
        }

        await bobPhone.SendAsync(Text("b-1", "hi"));

        var acks = new List<Ack>();
        var atAlicePhone = new List<Message>();
        while (acks.Count < 5 || atAlicePhone.Count < 1)
        {
            var packet = await alicePhone.ReceiveAsync() ?? throw new InvalidOperationException("closed");
            if (packet.Kind == PacketKind.Ack)
            {
                acks.Add(packet.Ack!);
            }
            else if (packet.Kind == PacketKind.Message)
            {
                atAlicePhone.Add(packet.Message!);
            }
        }

        Assert.Equal(["a-1", "a-2", "a-3", "a-4", "a-5"], acks.Select(a => a.ClientMsgId));
        var bobAck = (await bobPhone.NextAsync(PacketKind.Ack)).Ack!;
        var allSeqs = acks.Select(a => a.Seq).Append(bobAck.Seq).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), allSeqs);

        // Bob's phone gets alice's five, the laptop gets all six, alice's phone gets bob's one: each in seq order.
        var atBob = await ReceiveMessagesAsync(bobPhone, 5);
        Assert.Equal(acks.Select(a => a.Seq), atBob.Select(m => m.Seq));
        Assert.All(atBob, m => Assert.Equal("alice", m.SenderId));
        var atLaptop = await ReceiveMessagesAsync(aliceLaptop, 6);
        Assert.Equal(allSeqs, atLaptop.Select(m => m.Seq));
        Assert.Equal(bobAck.Seq, Assert.Single(atAlicePhone).Seq);
        Assert.Equal("b-1", atAlicePhone[0].ClientMsgId);
        Assert.Equal("hi", Encoding.UTF8.GetString(atAlicePhone[0].Body!));
    }

    [Fact]
    public async Task Typing_presence_and_read_marks_reach_the_partner()
    {
        var couple = ShardCluster.NewCouple("c-sig");
        var (alice, _) = await ConnectAsync("alice", couple, "phone");
        await using var _a = alice;
        var (bob, _) = await ConnectAsync("bob", couple, "phone");
        await using var _b = bob;
        await alice.NextAsync(PacketKind.Presence);

        await alice.SendAsync(new Typing { On = true });
        var typing = (await bob.NextAsync(PacketKind.Typing)).Typing!;
        Assert.True(typing.On);
        Assert.Equal("alice", typing.UserId);
        await alice.SendAsync(new Typing { On = false });
        Assert.False((await bob.NextAsync(PacketKind.Typing)).Typing!.On);

        await alice.SendAsync(Text("m1", "one"));
        var seq = (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq;
        await bob.NextAsync(PacketKind.Message);
        await bob.SendAsync(new ReadUpTo { Seq = seq });
        var read = (await alice.NextAsync(PacketKind.ReadUpTo)).ReadUpTo!;
        Assert.Equal((seq, "bob"), (read.Seq, read.UserId));

        await bob.DisposeAsync();
        var offline = (await alice.NextAsync(PacketKind.Presence)).Presence!;
        Assert.Equal(("bob", false, 0), (offline.UserId, offline.Online, offline.Devices));
    }

    [Fact]
    public async Task Typing_expires_without_a_refresh()
    {
        var couple = ShardCluster.NewCouple("c-typ");
        var (alice, _) = await ConnectAsync("alice", couple, "phone");
        await using var _a = alice;
        var (bob, _) = await ConnectAsync("bob", couple, "phone");
        await using var _b = bob;
        await alice.SendAsync(new Typing { On = true });
        Assert.True((await bob.NextAsync(PacketKind.Typing)).Typing!.On);
        // The default expiry is 5 s; the wait is bounded well above it.
        Assert.False((await bob.NextAsync(PacketKind.Typing, TimeSpan.FromSeconds(15))).Typing!.On);
    }

    [Fact]
    public async Task A_device_that_was_away_syncs_what_it_missed_in_pages()
    {
        var couple = ShardCluster.NewCouple("c-sync");
        var (alice, _) = await ConnectAsync("alice", couple, "phone");
        await using var _a = alice;
        var (bob, _) = await ConnectAsync("bob", couple, "phone");
        await bob.NextAsync(PacketKind.Presence);
        await alice.SendAsync(Text("m0", "before"));
        var firstSeq = (await alice.NextAsync(PacketKind.Ack)).Ack!.Seq;
        await bob.NextAsync(PacketKind.Message);
        await bob.DisposeAsync();

        for (var i = 1; i <= 7; i++)
        {
            await alice.SendAsync(Text($"m{i}", $"while away {i}"));
            await alice.NextAsync(PacketKind.Ack);
        }

        var (bobAgain, ok) = await ConnectAsync("bob", couple, "phone", lastSeq: firstSeq);
        await using var _b = bobAgain;
        Assert.Equal(firstSeq + 7, ok.LatestSeq);

        var synced = new List<Message>();
        var after = firstSeq;
        while (true)
        {
            await bobAgain.SendAsync(new Sync { AfterSeq = after, Limit = 3 });
            var result = (await bobAgain.NextAsync(PacketKind.SyncResult)).SyncResult!;
            synced.AddRange(result.Messages!);
            Assert.Equal(firstSeq + 7, result.LatestSeq);
            if (!result.More)
            {
                break;
            }

            Assert.Equal(3, result.Messages!.Count);
            after = result.Messages![^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 7).Select(i => firstSeq + i), synced.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"m{i}"), synced.Select(m => m.ClientMsgId));
    }

    [Fact]
    public async Task A_retry_with_the_same_clientMsgId_after_a_dropped_connection_is_stored_once_with_its_original_seq()
    {
        var couple = ShardCluster.NewCouple("c-retry");
        var (bob, _) = await ConnectAsync("bob", couple, "phone");
        await using var _b = bob;
        var (alice, _) = await ConnectAsync("alice", couple, "phone");
        await bob.NextAsync(PacketKind.Presence);

        // Send, then drop the connection without reading the Ack: the client cannot know it was stored.
        await alice.SendAsync(Text("once", "exactly once"));
        var delivered = (await bob.NextAsync(PacketKind.Message)).Message!;
        await alice.DisposeAsync();

        var (aliceAgain, ok) = await ConnectAsync("alice", couple, "phone");
        await using var _a = aliceAgain;
        Assert.Equal(delivered.Seq, ok.LatestSeq);
        await aliceAgain.SendAsync(Text("once", "exactly once"));
        var ack = (await aliceAgain.NextAsync(PacketKind.Ack)).Ack!;
        Assert.Equal(delivered.Seq, ack.Seq);

        // No second copy: the log holds one message, and bob gets no second delivery.
        await bob.SendAsync(new Sync { AfterSeq = 0, Limit = 100 });
        var skipped = new List<ClientPacket>();
        var sync = (await bob.NextAsync(PacketKind.SyncResult, skipped: skipped)).SyncResult!;
        Assert.Single(sync.Messages!);
        Assert.DoesNotContain(skipped, p => p.Kind == PacketKind.Message);
    }

    [Fact]
    public async Task Second_auth_and_bad_sends_get_errors_and_the_connection_stays()
    {
        var couple = ShardCluster.NewCouple("c-err");
        var token = fixture.Cluster.Keys.Token("alice", couple);
        var (alice, _) = await ConnectAsync("alice", couple, "phone");
        await using var _a = alice;

        await alice.SendAsync(new Auth { Token = token, DeviceId = "phone" });
        Assert.Equal(ErrorCode.AlreadyAuthenticated, (await alice.NextAsync(PacketKind.Error)).Error!.Code);

        await alice.SendAsync(new Send { ClientMsgId = "bad:id", Kind = MessageKind.Text, Body = [1] });
        Assert.Equal(ErrorCode.BadRequest, (await alice.NextAsync(PacketKind.Error)).Error!.Code);
        await alice.SendAsync(new Send { ClientMsgId = "k", Kind = (MessageKind)99, Body = [1] });
        var badKind = (await alice.NextAsync(PacketKind.Error)).Error!;
        Assert.Equal((ErrorCode.BadRequest, "k"), (badKind.Code, badKind.ClientMsgId));

        await alice.SendAsync(new Ping { Nonce = 42 });
        Assert.Equal(42, (await alice.NextAsync(PacketKind.Pong)).Pong!.Nonce);
    }

    private static async Task<List<Message>> ReceiveMessagesAsync(ChatTestClient client, int count)
    {
        var messages = new List<Message>();
        while (messages.Count < count)
        {
            messages.Add((await client.NextAsync(PacketKind.Message)).Message!);
        }

        return messages;
    }
}
