using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.Membership.MembershipTestKit;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>ZooKeeper servers lost: the last ring stays in force; the watcher catches up when they return.</summary>
[Collection(ZooKeeperOutageCollection.Name)]
public sealed class MembershipOutageTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("mo");

    [Fact]
    public async Task With_every_server_down_the_last_ring_stays_and_updates_resume_when_one_returns()
    {
        var server = TestServers.Server("zk");
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher", TimeSpan.FromSeconds(10));
        await using var watcher = await WatcherAsync(client, _root, output);
        await using var shardClient = await ConnectedAsync(output, TestServers.ZooKeeper, "shards", TimeSpan.FromSeconds(10));
        await using var first = Shard(shardClient, _root, "steady", 8001, output);
        await first.JoinRingAsync().DefaultTimeout();
        var before = await watcher.RingAsync(r => r.Members.Length == 1);
        try
        {
            var down = client.NextStateAsync(s => s.State == ZooKeeperState.Disconnected);
            await server.KillAsync();
            await down.DefaultTimeout();

            // Reads fail meanwhile (the watcher retries every 200 ms); the ring in force must not change.
            var changed = await watcher.WaitForAsync(r => !ReferenceEquals(r, before), TimeSpan.FromSeconds(1.5));
            Assert.Null(changed);
            Assert.Same(before, watcher.Current);
            Assert.Equal("steady", watcher.Current.OwnerOf("any-couple")!.ShardId);

            await server.StartAsync();
            await using var second = Shard(shardClient, _root, "newcomer", 8003, output);
            Assert.Equal(MembershipResult.Ok, await second.JoinRingAsync().DefaultTimeout());
            var after = await watcher.RingAsync(r => r.Members.Length == 2);
            Assert.True(after.Epoch > before.Epoch);
            Assert.True(first.IsInRing);
        }
        finally
        {
            await ServerProbe.EnsureRunningAsync(server);
        }
    }

    [Fact]
    public async Task A_change_made_while_the_watcher_was_disconnected_is_seen_after_it_reconnects()
    {
        await using var watcherClient = await ConnectedAsync(output, TestServers.ZooKeeperEnsemble, "watcher", TimeSpan.FromSeconds(8));
        await using var watcher = await WatcherAsync(watcherClient, _root, output);
        var victim = ServerProbe.ByAddress(watcherClient.ConnectedServer!);
        var others = string.Join(',', ServerProbe.EnsembleNames.Select(TestServers.Server).Where(s => s.Port != victim.Port).Select(s => $"127.0.0.1:{s.Port}"));
        await using var shardClient = await ConnectedAsync(output, others, "shards", TimeSpan.FromSeconds(8));
        try
        {
            await victim.KillAsync();
            await using var shard = Shard(shardClient, _root, "while-away", 8101, output);
            Assert.Equal(MembershipResult.Ok, await shard.JoinRingAsync().DefaultTimeout());
            var ring = await watcher.RingAsync(r => r.Find("while-away") is not null);
            Assert.NotEqual($"127.0.0.1:{victim.Port}", watcherClient.ConnectedServer);
            Assert.Equal(8101, ring.Find("while-away")!.MuxPort);
        }
        finally
        {
            await ServerProbe.EnsureRunningAsync(victim);
        }
    }
}
