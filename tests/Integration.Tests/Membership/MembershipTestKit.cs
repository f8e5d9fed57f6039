using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Xunit.Abstractions;

namespace Chat.Tests.Integration.Membership;

/// <summary>Builds registrations and watchers on a test's own root.</summary>
internal static class MembershipTestKit
{
    public static ShardRegistration Shard(ZooKeeperClient client, string root, string shardId, int muxPort, ITestOutputHelper output, int weight = 100) =>
        new(
            client,
            new ShardRegistrationOptions
            {
                Root = root,
                ShardId = shardId,
                Host = "127.0.0.1",
                MuxPort = muxPort,
                DirectPort = muxPort + 1,
                Weight = weight,
                RetryDelay = TimeSpan.FromMilliseconds(200),
            },
            new TestLogger<ShardRegistration>(output, shardId));

    public static async Task<RingWatcher> WatcherAsync(ZooKeeperClient client, string root, ITestOutputHelper output, string name = "ring")
    {
        var watcher = new RingWatcher(
            client,
            new RingWatcherOptions { Root = root, RetryDelay = TimeSpan.FromMilliseconds(200) },
            new TestLogger<RingWatcher>(output, name));
        using var bound = new CancellationTokenSource(ZooKeeperTestKit.TestTimeout);
        Assert.True(await watcher.StartAsync(bound.Token));
        return watcher;
    }

    /// <summary>Waits (bounded) for a ring matching <paramref name="predicate"/>; fails the test otherwise.</summary>
    public static async Task<RingSnapshot> RingAsync(this RingWatcher watcher, Func<RingSnapshot, bool> predicate)
    {
        var ring = await watcher.WaitForAsync(predicate, ZooKeeperTestKit.TestTimeout);
        Assert.True(ring is not null, $"ring never matched; last: epoch {watcher.Current.Epoch}, members [{string.Join(", ", watcher.Current.Members.Select(m => m.ShardId))}]");
        return ring;
    }

    public static string[] Ids(this RingSnapshot ring) => [.. ring.Members.Select(m => m.ShardId)];
}
