using Chat.Cluster.Membership;
using Chat.Ctl;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.Membership.MembershipTestKit;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>`chatctl ring show` and `chatctl ring owner` against a live ring.</summary>
public sealed class RingCommandsTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("ctl");

    [Fact]
    public async Task Show_and_owner_print_what_the_ring_watcher_sees()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var a = Shard(client, _root, "alpha", 9001, output, weight: 100);
        await using var b = Shard(client, _root, "beta", 9003, output, weight: 300);
        await a.JoinRingAsync().DefaultTimeout();
        await b.JoinRingAsync().DefaultTimeout();
        await using var watcher = await WatcherAsync(client, _root, output);
        var ring = await watcher.RingAsync(r => r.Members.Length == 2);

        var (code, text) = await RunAsync("ring", "show", "--zk", TestServers.ZooKeeper, "--root", _root);
        output.WriteLine(text);
        Assert.Equal(0, code);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"epoch {ring.Epoch}, 2 member(s)", lines[0]);
        Assert.Matches(@"^alpha\s+127\.0\.0\.1:9001\s+100\s+2\d\.\d\d\s?%$", lines[2]);
        Assert.Matches(@"^beta\s+127\.0\.0\.1:9003\s+300\s+7\d\.\d\d\s?%$", lines[3]);

        foreach (var couple in new[] { "couple-1", "couple-2", "couple-42" })
        {
            var owner = ring.OwnerOf(couple)!;
            var (ownerCode, ownerText) = await RunAsync("ring", "owner", couple, "--zk", TestServers.ZooKeeper, "--root", _root);
            Assert.Equal(0, ownerCode);
            Assert.Equal($"{couple} -> {owner.ShardId} (127.0.0.1:{owner.MuxPort}) at epoch {ring.Epoch}", ownerText.Trim());
        }
    }

    [Fact]
    public async Task Owner_on_an_empty_ring_and_an_unreachable_ZooKeeper_exit_non_zero()
    {
        // A root that does not exist reads as "no ring" and is not created by the inspection tool.
        var (noRingCode, noRingText) = await RunAsync("ring", "show", "--zk", TestServers.ZooKeeper, "--root", _root);
        Assert.Equal(RingCommands.Unavailable, noRingCode);
        Assert.Contains("no ring", noRingText);
        await using (var client = await ConnectedAsync(output, TestServers.ZooKeeper))
        {
            Assert.Equal(Chat.Cluster.ZooKeeper.ZooKeeperError.NoNode, (await client.ExistsAsync(_root).DefaultTimeout()).Error);
            await CreatePathAsync(client, _root + "/ring");
        }

        var (emptyCode, emptyText) = await RunAsync("ring", "owner", "c1", "--zk", TestServers.ZooKeeper, "--root", _root);
        Assert.Equal(RingCommands.Unavailable, emptyCode);
        Assert.Contains("the ring is empty", emptyText);

        var (downCode, downText) = await RunAsync("ring", "show", "--zk", "127.0.0.1:1", "--root", _root, "--timeout", "1");
        Assert.True(downCode == RingCommands.Unavailable, downText);

        var (badCode, _) = await RunAsync("ring", "show", "--zk", "", "--root", "no-slash");
        Assert.Equal(2, badCode);
    }

    /// <summary>Runs chatctl in-process with the root command its Program builds; stdout and stderr together.</summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var writer = new StringWriter();
        var code = await Task.Run(() => Cli.Run(Chat.Ctl.Program.BuildRoot(TimeProvider.System), args, writer, writer)).DefaultTimeout();
        return (code, writer.ToString());
    }
}
