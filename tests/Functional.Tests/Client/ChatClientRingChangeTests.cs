using System.Text;
using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Client;

/// <summary>
/// The client SDK against two real shards whose ring changes under it: a client on the wrong shard
/// gets NotOwner and moves by itself; when the owner drains, it moves again, and nothing sent during
/// the move is lost or duplicated.
/// </summary>
public sealed class ChatClientRingChangeTests : IAsyncLifetime
{
    private static readonly string[] Both = ["sa", "sb"];
    private readonly ShardCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Clients_follow_the_couple_to_its_new_owner_and_lose_nothing()
    {
        var couple = ShardCluster.CoupleOwnedBy("sb", Both, ShardCluster.NewCouple("c-ring"));
        var a = await _cluster.StartAsync("sa");
        var b = await _cluster.StartAsync("sb");
        await using var alice = new ChatClient(ClientFactory.Options(_cluster.Keys, "alice", couple, "phone", a.Direct, b.Direct));
        await using var bob = new ChatClient(ClientFactory.Options(_cluster.Keys, "bob", couple, "phone", a.Direct, b.Direct));
        var atAlice = new MessageLog(alice);
        var atBob = new MessageLog(bob);
        // Whichever shard each tries first, sa answers NotOwner until they reach sb.
        await ClientFactory.ConnectedAsync(alice);
        await ClientFactory.ConnectedAsync(bob);

        var sending = Task.Run(async () =>
        {
            var results = new List<SendResult>();
            for (var i = 1; i <= 30; i++)
            {
                results.Add(await alice.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"alice {i}")));
                results.Add(await bob.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"bob {i}")));
                await Task.Delay(20);
            }

            return results;
        });

        await atBob.WaitForAsync(6);
        // The owner drains (SIGTERM): it leaves the ring, the couple moves to sa, clients are told NotOwner.
        b.Terminate();
        var results = await sending.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), results.Select(r => r.Seq).Order());
        await atAlice.WaitForAsync(60, TimeSpan.FromSeconds(60));
        await atBob.WaitForAsync(60, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), atAlice.Seqs);
        Assert.Equal(atAlice.Seqs, atBob.Seqs);
        Assert.True(alice.Counters.Reconnects >= 1, $"alice reconnected {alice.Counters.Reconnects} times");
        Assert.True(bob.Counters.Reconnects >= 1, $"bob reconnected {bob.Counters.Reconnects} times");
    }
}
