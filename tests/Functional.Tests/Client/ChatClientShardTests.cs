using System.Text;
using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.ChatService;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Client;

/// <summary>
/// The client SDK against one real shard process (direct TCP, real Redis): what the app sees is every
/// acknowledged message exactly once, in seq order, its own included, across restarts of the app.
/// </summary>
public sealed class ChatClientShardTests(SingleShardFixture fixture) : IClassFixture<SingleShardFixture>
{
    private ChatClient NewClient(string user, string couple, string device, long startAfterSeq = 0) =>
        new(ClientFactory.Options(fixture.Cluster.Keys, user, couple, device, fixture.Shard.Direct) with { StartAfterSeq = startAfterSeq });

    [Fact]
    public async Task Both_partners_see_every_message_once_in_seq_order_their_own_included()
    {
        var couple = ShardCluster.NewCouple("c-sdk");
        await using var alice = await ClientFactory.ConnectedAsync(NewClient("alice", couple, "phone"));
        await using var bob = await ClientFactory.ConnectedAsync(NewClient("bob", couple, "phone"));
        var atAlice = new MessageLog(alice);
        var atBob = new MessageLog(bob);

        // Both type at once: their sends interleave on the shard.
        var sends = Enumerable.Range(1, 10).SelectMany(i => new[]
        {
            alice.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"alice {i}")),
            bob.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"bob {i}")),
        }).ToList();
        var results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), results.Select(r => r.Seq).Order());
        await atAlice.WaitForAsync(20);
        await atBob.WaitForAsync(20);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), atAlice.Seqs);
        Assert.Equal(atAlice.Seqs, atBob.Seqs);
        // Same content at both ends, and each send's text sits at the seq its Ack named.
        Assert.Equal(atAlice.Messages.Select(m => (m.SenderId, m.BodyText, m.ClientMsgId)), atBob.Messages.Select(m => (m.SenderId, m.BodyText, m.ClientMsgId)));
        foreach (var result in results)
        {
            Assert.Equal(result.ClientMsgId, atBob.Messages[(int)result.Seq - 1].ClientMsgId);
        }

        Assert.Equal(20, alice.LastSeq);
        Assert.Equal(0, alice.Counters.GapsDetected + bob.Counters.GapsDetected);
    }

    [Fact]
    public async Task An_app_that_comes_back_gets_exactly_what_it_missed()
    {
        var couple = ShardCluster.NewCouple("c-back");
        await using var alice = await ClientFactory.ConnectedAsync(NewClient("alice", couple, "phone"));
        long bobLastSeq;
        await using (var bob = await ClientFactory.ConnectedAsync(NewClient("bob", couple, "phone")))
        {
            var seen = new MessageLog(bob);
            await SendTextsAsync(alice, "before", 3);
            await seen.WaitForAsync(3);
            bobLastSeq = bob.LastSeq;
        }

        await SendTextsAsync(alice, "while away", 4);
        await using var bobAgain = NewClient("bob", couple, "phone", startAfterSeq: bobLastSeq);
        var caughtUp = new MessageLog(bobAgain);
        await ClientFactory.ConnectedAsync(bobAgain);
        await caughtUp.WaitForAsync(4);
        await SendTextsAsync(alice, "after", 1);
        await caughtUp.WaitForAsync(5);

        Assert.Equal(3, bobLastSeq);
        Assert.Equal([4L, 5, 6, 7, 8], caughtUp.Seqs);
        Assert.Equal(["while away 1", "while away 2", "while away 3", "while away 4", "after 1"], caughtUp.Messages.Select(m => m.BodyText));
    }

    [Fact]
    public async Task An_outbox_message_sent_again_after_a_restart_is_stored_once()
    {
        var couple = ShardCluster.NewCouple("c-outbox");
        await using var bob = await ClientFactory.ConnectedAsync(NewClient("bob", couple, "phone"));
        var atBob = new MessageLog(bob);
        var id = ClientMsgIds.New();
        SendResult first;
        await using (var alice = await ClientFactory.ConnectedAsync(NewClient("alice", couple, "phone")))
        {
            first = await alice.SendAsync(MessageKind.Text, "only once"u8.ToArray(), id).WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The app restarted without knowing the first attempt succeeded, and sends from its outbox again.
        await using var aliceAgain = await ClientFactory.ConnectedAsync(NewClient("alice", couple, "phone", startAfterSeq: ChatClientOptions.FromLatest));
        var again = await aliceAgain.SendAsync(MessageKind.Text, "only once"u8.ToArray(), id).WaitAsync(TimeSpan.FromSeconds(30));
        var next = await aliceAgain.SendAsync(MessageKind.Text, "next"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SendStatus.Sent, again.Status);
        Assert.Equal(first.Seq, again.Seq);
        Assert.Equal(first.Seq + 1, next.Seq);
        await atBob.WaitForAsync(2);
        Assert.Equal([first.Seq, next.Seq], atBob.Seqs);
    }

    private static async Task SendTextsAsync(ChatClient client, string prefix, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            var result = await client.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"{prefix} {i}")).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(SendStatus.Sent, result.Status);
        }
    }
}
