using Chat.Cluster.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>
/// Cross-check with the reference implementation: what our client writes, the Java command-line
/// client reads back, and what it changes fires our watches.
/// </summary>
public sealed class ZkCliCrossCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Nodes_and_data_written_by_our_client_read_back_in_zkCli()
    {
        var root = UniqueRoot("cli");
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await CreatePathAsync(client, root, Utf8("parent-data"));
        await client.CreateAsync(root + "/persistent", Utf8("dotnet-wrote-this"), CreateMode.Persistent).DefaultTimeout();
        await client.CreateAsync(root + "/ephemeral", Utf8("mine"), CreateMode.Ephemeral).DefaultTimeout();
        var seq = await client.CreateAsync(root + "/seq-", default, CreateMode.PersistentSequential).DefaultTimeout();
        await client.SetDataAsync(root + "/persistent", Utf8("dotnet-changed-this")).DefaultTimeout();

        var server = TestServers.ZooKeeper;
        Assert.Contains("dotnet-changed-this", await ZkCli.OkAsync(server, "get", root + "/persistent"));
        Assert.Contains("[ephemeral, persistent, seq-0000000002]", await ZkCli.OkAsync(server, "ls", root));
        Assert.Equal(root + "/seq-0000000002", seq.Value);

        var stat = await ZkCli.OkAsync(server, "stat", root + "/ephemeral");
        Assert.Contains($"ephemeralOwner = 0x{client.SessionId:x}", stat);
        Assert.Contains("dataLength = 4", stat);
        var parentStat = await ZkCli.OkAsync(server, "stat", root + "/persistent");
        Assert.Contains("dataVersion = 1", parentStat);
    }

    [Fact]
    public async Task Changes_made_in_zkCli_fire_our_watches()
    {
        var root = UniqueRoot("cliw");
        var server = TestServers.ZooKeeper;
        await using var client = await ConnectedAsync(output, server);
        await CreatePathAsync(client, root + "/node", Utf8("before"));

        var data = new WatchLog();
        var children = new WatchLog();
        var exists = new WatchLog();
        await client.GetDataAsync(root + "/node", data.Watcher).DefaultTimeout();
        await client.GetChildrenAsync(root, children.Watcher).DefaultTimeout();
        Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(root + "/cli", exists.Watcher).DefaultTimeout()).Error);

        await ZkCli.OkAsync(server, "set", root + "/node", "from-cli");
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, root + "/node"), await data.NextAsync(0));
        Assert.Equal("from-cli", Text((await client.GetDataAsync(root + "/node").DefaultTimeout()).Value!.Data));

        await ZkCli.OkAsync(server, "create", root + "/cli", "cli-data");
        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, root + "/cli"), await exists.NextAsync(0));
        Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, root), await children.NextAsync(0));

        Assert.Equal("cli-data", Text((await client.GetDataAsync(root + "/cli").DefaultTimeout()).Value!.Data));

        await client.GetDataAsync(root + "/node", data.Watcher).DefaultTimeout();
        await ZkCli.OkAsync(server, "delete", root + "/node");
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, root + "/node"), await data.NextAsync(1));
    }
}
