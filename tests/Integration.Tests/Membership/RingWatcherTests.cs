using System.Globalization;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.Membership.MembershipTestKit;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>The ring as ZooKeeper holds it: joins, leaves, weights and epochs, seen by watch.</summary>
public sealed class RingWatcherTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("ring");

    [Fact]
    public async Task Ring_follows_joins_and_leaves_with_the_cversion_as_epoch()
    {
        await using var watcherClient = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher");
        await using var shardClient = await ConnectedAsync(output, TestServers.ZooKeeper, "shards");
        await using var watcher = await WatcherAsync(watcherClient, _root, output);
        Assert.Equal(0, watcher.Current.Epoch);
        Assert.Empty(watcher.Current.Members);

        await using var a = Shard(shardClient, _root, "shard-a", 7001, output);
        await using var b = Shard(shardClient, _root, "shard-b", 7003, output, weight: 300);
        Assert.Equal(MembershipResult.Ok, await a.RegisterAsync().DefaultTimeout());
        Assert.True(a.IsRegistered);
        Assert.False(a.IsInRing);
        Assert.Equal(MembershipResult.Ok, await a.JoinRingAsync().DefaultTimeout());
        Assert.True(a.IsInRing);

        var one = await watcher.RingAsync(r => r.Members.Length == 1);
        Assert.Equal(1, one.Epoch);
        Assert.Equal(new RingMember("shard-a", "127.0.0.1", 7001, 100), one.Members[0]);

        Assert.Equal(MembershipResult.Ok, await b.JoinRingAsync().DefaultTimeout());
        var two = await watcher.RingAsync(r => r.Members.Length == 2);
        Assert.Equal(2, two.Epoch);
        Assert.Equal(["shard-a", "shard-b"], two.Ids());
        Assert.Equal(300, two.Find("shard-b")!.Weight);
        var shares = two.HashSpaceShares();
        Assert.InRange(shares["shard-b"], 0.65, 0.85);

        // The epoch is exactly the cversion of the ring node, as any other reader sees it.
        var ringStat = await shardClient.ExistsAsync(_root + "/ring").DefaultTimeout();
        Assert.Equal(two.Epoch, ringStat.Value!.Cversion);

        // Leaving the ring keeps the shard registered (alive, draining).
        Assert.Equal(MembershipResult.Ok, await b.LeaveRingAsync().DefaultTimeout());
        var left = await watcher.RingAsync(r => r.Epoch == 3);
        Assert.Equal(["shard-a"], left.Ids());
        Assert.True((await shardClient.ExistsAsync(_root + "/shards/shard-b").DefaultTimeout()).IsOk);
        Assert.True(b.IsRegistered);

        Assert.Equal(MembershipResult.Ok, await a.DeregisterAsync().DefaultTimeout());
        var empty = await watcher.RingAsync(r => r.Epoch == 4);
        Assert.Empty(empty.Members);
        Assert.Equal(ZooKeeperError.NoNode, (await shardClient.ExistsAsync(_root + "/shards/shard-a").DefaultTimeout()).Error);
        Assert.False(a.IsRegistered);
    }

    [Fact]
    public async Task Two_watchers_at_the_same_epoch_agree_on_every_owner()
    {
        await using var c1 = await ConnectedAsync(output, TestServers.ZooKeeper, "w1");
        await using var c2 = await ConnectedAsync(output, TestServers.ZooKeeper, "w2");
        await using var shards = await ConnectedAsync(output, TestServers.ZooKeeper, "shards");
        var registrations = new List<ShardRegistration>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var shard = Shard(shards, _root, $"s{i}", 7100 + (i * 2), output, weight: 50 + (i * 50));
                registrations.Add(shard);
                Assert.Equal(MembershipResult.Ok, await shard.JoinRingAsync().DefaultTimeout());
            }

            await using var w1 = await WatcherAsync(c1, _root, output, "ring1");
            await using var w2 = await WatcherAsync(c2, _root, output, "ring2");
            var r1 = await w1.RingAsync(r => r.Members.Length == 5);
            var r2 = await w2.RingAsync(r => r.Epoch == r1.Epoch);
            for (var couple = 0; couple < 10_000; couple++)
            {
                var id = "couple-" + couple.ToString(CultureInfo.InvariantCulture);
                Assert.Equal(r1.OwnerOf(id)!.ShardId, r2.OwnerOf(id)!.ShardId);
            }
        }
        finally
        {
            foreach (var shard in registrations)
            {
                await shard.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_weight_change_re_creates_the_ring_node_and_moves_the_epoch()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var watcher = await WatcherAsync(client, _root, output);
        await using var shard = Shard(client, _root, "heavy", 7201, output);
        await shard.JoinRingAsync().DefaultTimeout();
        var before = await watcher.RingAsync(r => r.Members.Length == 1);

        Assert.Equal(MembershipResult.Ok, await shard.SetWeightAsync(400).DefaultTimeout());
        var after = await watcher.RingAsync(r => r.Find("heavy")?.Weight == 400);
        Assert.Equal(before.Epoch + 2, after.Epoch);
        Assert.Equal(MembershipResult.Refused, await shard.SetWeightAsync(0).DefaultTimeout());
    }

    [Fact]
    public async Task A_ring_member_without_a_shard_node_stays_in_the_ring_without_an_address_until_it_appears()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var watcher = await WatcherAsync(client, _root, output);
        await client.CreateAsync(_root + "/ring/orphan", MembershipJson.Encode(new RingNodeData(100)), CreateMode.Ephemeral).DefaultTimeout();
        await client.CreateAsync(_root + "/ring/bad-weight", Utf8("{\"weight\": -5}"), CreateMode.Ephemeral).DefaultTimeout();
        await client.CreateAsync(_root + "/ring/not-json", Utf8("weight=5"), CreateMode.Ephemeral).DefaultTimeout();
        var ring = await watcher.RingAsync(r => r.Epoch == 3);
        Assert.Equal(new RingMember("orphan", string.Empty, 0, 100), Assert.Single(ring.Members));

        // The address appears: same epoch, new snapshot with the address.
        var address = MembershipJson.Encode(new ShardNodeData("10.0.0.9", 7301, null, null));
        await client.CreateAsync(_root + "/shards/orphan", address, CreateMode.Ephemeral).DefaultTimeout();
        var addressed = await watcher.RingAsync(r => r.Find("orphan")?.Host == "10.0.0.9");
        Assert.Equal(3, addressed.Epoch);
        Assert.Equal(7301, addressed.Find("orphan")!.MuxPort);

        // An address change is seen too (data watch on the shard node).
        await client.SetDataAsync(_root + "/shards/orphan", MembershipJson.Encode(new ShardNodeData("10.0.0.10", 7301, null, null))).DefaultTimeout();
        await watcher.RingAsync(r => r.Find("orphan")?.Host == "10.0.0.10");
    }

    [Fact]
    public async Task Changed_event_reports_each_new_ring_in_epoch_order()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var watcher = await WatcherAsync(client, _root, output);
        var changes = new List<(long Previous, long Current)>();
        watcher.Changed += (_, e) =>
        {
            lock (changes)
            {
                changes.Add((e.Previous.Epoch, e.Current.Epoch));
            }
        };

        var shards = new List<ShardRegistration>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var shard = Shard(client, _root, $"e{i}", 7400 + (i * 2), output);
                shards.Add(shard);
                await shard.JoinRingAsync().DefaultTimeout();
            }

            await watcher.RingAsync(r => r.Epoch == 6);
            lock (changes)
            {
                Assert.All(changes, c => Assert.True(c.Current > c.Previous));
                Assert.All(changes.Skip(1).Zip(changes), pair => Assert.Equal(pair.Second.Current, pair.First.Previous));
                Assert.Equal(6, changes[^1].Current);
            }
        }
        finally
        {
            foreach (var shard in shards)
            {
                await shard.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Without_CreateLayout_a_missing_ring_reads_as_none_until_it_appears()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var watcher = new RingWatcher(
            client,
            new RingWatcherOptions { Root = _root, CreateLayout = false, RetryDelay = TimeSpan.FromMilliseconds(200) },
            new TestLogger<RingWatcher>(output, "ring"));
        using var bound = new CancellationTokenSource(TestTimeout);
        Assert.True(await watcher.StartAsync(bound.Token));
        Assert.Same(RingSnapshot.Empty, watcher.Current);
        Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(_root).DefaultTimeout()).Error);

        // A shard creates the layout and joins: the exist watch on the ring node brings the ring in.
        await using var shard = Shard(client, _root, "late", 7251, output);
        await shard.JoinRingAsync().DefaultTimeout();
        var ring = await watcher.RingAsync(r => r.Find("late") is not null);
        Assert.Equal(1, ring.Epoch);
    }
}
