using Chat.Cluster.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>
/// Server losses: the client reattaches to another server with the same session, so its ephemeral
/// nodes and watches survive; with every server down it waits, and resumes when one returns.
/// </summary>
[Collection(ZooKeeperOutageCollection.Name)]
public sealed class ZooKeeperFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_leader_keeps_the_session_its_ephemerals_and_its_watches()
    {
        var leader = await ServerProbe.LeaderAsync();
        output.WriteLine($"leader: {leader.Name}");
        await SurviveKillAsync(_ => leader);
    }

    [Fact]
    public async Task Killing_the_clients_own_server_keeps_the_session_its_ephemerals_and_its_watches()
    {
        await SurviveKillAsync(client => ServerProbe.ByAddress(client.ConnectedServer!));
    }

    [Fact]
    public async Task All_servers_down_calls_wait_then_resume_with_the_same_session()
    {
        var server = TestServers.Server("zk");
        var root = UniqueRoot("down");
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper, "client", TimeSpan.FromSeconds(10));
        await CreatePathAsync(client, root);
        Assert.True((await client.CreateAsync(root + "/eph", default, CreateMode.Ephemeral).DefaultTimeout()).IsOk);
        var children = new WatchLog();
        await client.GetChildrenAsync(root, children.Watcher).DefaultTimeout();
        var session = client.SessionId;
        try
        {
            var disconnected = client.NextStateAsync(s => s.State == ZooKeeperState.Disconnected);
            await server.KillAsync();
            await disconnected.DefaultTimeout();

            // Down: a call waits in the queue and times out; ConnectionLoss is not expiry.
            var waited = await client.ExistsAsync(root, timeout: TimeSpan.FromMilliseconds(300)).DefaultTimeout();
            Assert.Equal(ZooKeeperError.OperationTimeout, waited.Error);
            var queued = client.GetDataAsync(root + "/eph");

            var reconnected = client.NextStateAsync(s => s.State == ZooKeeperState.Connected);
            await server.StartAsync();
            var change = await reconnected.DefaultTimeout();
            Assert.Equal(session, change.SessionId);
            Assert.False(change.IsNewSession);

            // The call queued while down went through after the reconnect.
            var data = await queued.DefaultTimeout();
            Assert.True(data.IsOk);
            Assert.Equal(session, data.Value!.Stat.EphemeralOwner);

            await using var writer = await ConnectedAsync(output, TestServers.ZooKeeper, "writer");
            await writer.CreateAsync(root + "/new", default, CreateMode.Ephemeral).DefaultTimeout();
            Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, root), await children.NextAsync(0));
        }
        finally
        {
            await ServerProbe.EnsureRunningAsync(server);
        }
    }

    private async Task SurviveKillAsync(Func<ZooKeeperClient, ServerProcess> victimOf)
    {
        var root = UniqueRoot("fail");
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeperEnsemble, "client", TimeSpan.FromSeconds(6));
        await CreatePathAsync(client, root + "/data", Utf8("0"));
        Assert.True((await client.CreateAsync(root + "/eph", Utf8("mine"), CreateMode.Ephemeral).DefaultTimeout()).IsOk);
        var dataWatch = new WatchLog();
        var childWatch = new WatchLog();
        var existWatch = new WatchLog();
        await client.GetDataAsync(root + "/data", dataWatch.Watcher).DefaultTimeout();
        await client.GetChildrenAsync(root, childWatch.Watcher).DefaultTimeout();
        Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(root + "/later", existWatch.Watcher).DefaultTimeout()).Error);
        var session = client.SessionId;
        var victim = victimOf(client);
        output.WriteLine($"client on {client.ConnectedServer}, killing {victim.Name}");
        try
        {
            await victim.KillAsync();

            // Wait until the session is served again by a live server (the election may take a moment).
            Assert.True(await EventuallyAsync(async () =>
                client.State == ZooKeeperState.Connected
                && client.ConnectedServer != null
                && client.ConnectedServer != $"127.0.0.1:{victim.Port}"
                && (await client.ExistsAsync(root, timeout: TimeSpan.FromSeconds(2))).IsOk));
            Assert.Equal(session, client.SessionId);
            var eph = await client.GetDataAsync(root + "/eph").DefaultTimeout();
            Assert.Equal("mine", Text(eph.Value!.Data));
            Assert.Equal(session, eph.Value.Stat.EphemeralOwner);

            // Watches set before the kill fire for changes made after it, by another session.
            await using var writer = await ConnectedAsync(output, TestServers.ZooKeeperEnsemble, "writer");
            Assert.True((await writer.SetDataAsync(root + "/data", Utf8("1")).DefaultTimeout()).IsOk);
            Assert.True((await writer.CreateAsync(root + "/later", default, CreateMode.Persistent).DefaultTimeout()).IsOk);
            Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, root + "/data"), await dataWatch.NextAsync(0));
            Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, root), await childWatch.NextAsync(0));
            Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, root + "/later"), await existWatch.NextAsync(0));
        }
        finally
        {
            await ServerProbe.EnsureRunningAsync(victim);
        }
    }
}
