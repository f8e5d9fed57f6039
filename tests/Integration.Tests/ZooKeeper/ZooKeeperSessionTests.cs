using Chat.Cluster.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Session expiry, distinct from connection loss: the client reports it and opens a new session.</summary>
public sealed class ZooKeeperSessionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Expiry_is_reported_then_a_new_session_is_opened()
    {
        var root = UniqueRoot("exp");
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper, "victim");
        await CreatePathAsync(client, root);
        Assert.True((await client.CreateAsync(root + "/eph", default, CreateMode.Ephemeral).DefaultTimeout()).IsOk);
        var watch = new WatchLog();
        await client.GetChildrenAsync(root, watch.Watcher).DefaultTimeout();
        var oldSession = client.SessionId;

        var states = new List<ZooKeeperStateChange>();
        client.StateChanged += change =>
        {
            lock (states)
            {
                states.Add(change);
            }
        };
        var reopened = client.NextStateAsync(s => s.State == ZooKeeperState.Connected && s.IsNewSession);

        await ExpireSessionAsync(client, TestServers.ZooKeeper);

        var change = await reopened.DefaultTimeout();
        Assert.NotEqual(oldSession, change.SessionId);
        Assert.Equal(change.SessionId, client.SessionId);
        lock (states)
        {
            // Expired for the old session, then Connected for the new one (reattaches to the old one may come first).
            var expiredAt = states.IndexOf(new ZooKeeperStateChange(ZooKeeperState.Expired, oldSession, false));
            Assert.True(expiredAt >= 0);
            Assert.Equal(new ZooKeeperStateChange(ZooKeeperState.Connected, change.SessionId, true), states[expiredAt + 1]);
        }

        // The old session's watch is gone with it, and says so; its ephemeral node is gone too.
        Assert.Equal(new WatchedEvent(WatchEventType.SessionExpired, root), await watch.NextAsync(0));
        Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(root + "/eph").DefaultTimeout()).Error);
        Assert.True((await client.CreateAsync(root + "/eph", default, CreateMode.Ephemeral).DefaultTimeout()).IsOk);
        Assert.Equal(client.SessionId, (await client.ExistsAsync(root + "/eph").DefaultTimeout()).Value!.EphemeralOwner);
    }
}
