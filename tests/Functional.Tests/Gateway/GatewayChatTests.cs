using System.Text;
using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Client;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Gateway;

/// <summary>Two shard and two gateway processes: the whole path, client TLS to any gateway, mux to the owner shard, Redis.</summary>
public sealed class GatewayChatTests
{
    [Fact]
    public async Task Two_devices_of_a_couple_on_different_gateways_chat_through_TLS()
    {
        await using var cluster = new GatewayCluster();
        await cluster.StartShardAsync("s1");
        await cluster.StartShardAsync("s2");
        var g1 = await cluster.StartGatewayAsync("g1");
        var g2 = await cluster.StartGatewayAsync("g2");

        var couple = ShardCluster.NewCouple("c-gw");
        await using var alice = await ClientFactory.ConnectedAsync(new ChatClient(cluster.ClientOptions("alice", couple, "phone", g1.Clients)));
        await using var bob = await ClientFactory.ConnectedAsync(new ChatClient(cluster.ClientOptions("bob", couple, "desktop", g2.Clients)));
        var atAlice = new MessageLog(alice);
        var atBob = new MessageLog(bob);

        var sends = Enumerable.Range(1, 10).SelectMany(i => new[]
        {
            alice.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"alice {i}")),
            bob.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes($"bob {i}")),
        }).ToList();
        var results = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        await atAlice.WaitForAsync(20);
        await atBob.WaitForAsync(20);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), atAlice.Seqs);
        Assert.Equal(atAlice.Seqs, atBob.Seqs);
        Assert.Equal(atAlice.Messages.Select(m => (m.SenderId, m.BodyText)), atBob.Messages.Select(m => (m.SenderId, m.BodyText)));
        Assert.Equal(0, alice.Counters.Reconnects + bob.Counters.Reconnects);
    }
}
