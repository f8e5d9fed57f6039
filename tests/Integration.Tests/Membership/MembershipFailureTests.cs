using System.Diagnostics;
using System.Globalization;
using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.Membership.MembershipTestKit;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>Crashes and session expiry: the ring loses a dead shard by itself and regains a returning one.</summary>
public sealed class MembershipFailureTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("mf");

    [Fact]
    public async Task A_SIGKILLed_shard_leaves_the_ring_after_its_session_timeout_with_a_new_epoch()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher");
        await using var watcher = await WatcherAsync(client, _root, output);
        const int SessionTimeoutMs = 2000;
        using var holder = StartHolder(_root, "doomed", SessionTimeoutMs);
        try
        {
            var readyLine = await holder.StandardOutput.ReadLineAsync().DefaultTimeout();
            Assert.StartsWith("READY ", readyLine);
            var holderSession = long.Parse(readyLine!["READY ".Length..], CultureInfo.InvariantCulture);
            var joined = await watcher.RingAsync(r => r.Find("doomed") is not null);
            var ringNode = await client.ExistsAsync(_root + "/ring/doomed").DefaultTimeout();
            Assert.Equal(holderSession, ringNode.Value!.EphemeralOwner);

            var killed = Stopwatch.StartNew();
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync().DefaultTimeout();

            // A closed socket does not end a session: the node is still there right after the kill.
            Assert.True((await client.ExistsAsync(_root + "/ring/doomed").DefaultTimeout()).IsOk);

            var left = await watcher.RingAsync(r => r.Find("doomed") is null);
            var gone = killed.Elapsed;
            output.WriteLine($"ring without the killed shard after {gone.TotalMilliseconds:F0} ms (session timeout {SessionTimeoutMs} ms, tick 500 ms); epoch {joined.Epoch} -> {left.Epoch}");
            Assert.True(left.Epoch > joined.Epoch);
            Assert.True(gone >= TimeSpan.FromMilliseconds(SessionTimeoutMs / 2), $"gone after {gone}: sooner than the session could expire");
            Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(_root + "/shards/doomed").DefaultTimeout()).Error);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task After_session_expiry_the_registration_is_re_created_and_the_ring_returns()
    {
        await using var watcherClient = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher");
        await using var watcher = await WatcherAsync(watcherClient, _root, output);
        await using var shardClient = await ConnectedAsync(output, TestServers.ZooKeeper, "shard");
        await using var shard = Shard(shardClient, _root, "phoenix", 7501, output);
        Assert.Equal(MembershipResult.Ok, await shard.JoinRingAsync().DefaultTimeout());
        var before = await watcher.RingAsync(r => r.Find("phoenix") is not null);
        var oldSession = shardClient.SessionId;

        var gone = watcher.WaitForAsync(r => r.Epoch > before.Epoch && r.Find("phoenix") is null, TestTimeout);
        await ExpireSessionAsync(shardClient, TestServers.ZooKeeper);

        // The old session's nodes went with it (the ring saw the shard leave), then came back under the new one.
        Assert.NotNull(await gone);
        var back = await watcher.RingAsync(r => r.Epoch > before.Epoch + 1 && r.Find("phoenix") is not null);
        Assert.Equal(7501, back.Find("phoenix")!.MuxPort);
        Assert.NotEqual(oldSession, shardClient.SessionId);
        Assert.True(await EventuallyAsync(() => Task.FromResult(shard.IsInRing && shard.IsRegistered)));
        var ringNode = await watcherClient.ExistsAsync(_root + "/ring/phoenix").DefaultTimeout();
        var shardNode = await watcherClient.ExistsAsync(_root + "/shards/phoenix").DefaultTimeout();
        Assert.Equal(shardClient.SessionId, ringNode.Value!.EphemeralOwner);
        Assert.Equal(shardClient.SessionId, shardNode.Value!.EphemeralOwner);
    }

    [Fact]
    public async Task After_the_watchers_own_session_expires_it_reads_the_ring_again()
    {
        await using var watcherClient = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher");
        await using var watcher = await WatcherAsync(watcherClient, _root, output);
        await using var shardClient = await ConnectedAsync(output, TestServers.ZooKeeper, "shard");
        await using var first = Shard(shardClient, _root, "first", 7601, output);
        await first.JoinRingAsync().DefaultTimeout();
        await watcher.RingAsync(r => r.Members.Length == 1);

        await ExpireSessionAsync(watcherClient, TestServers.ZooKeeper);
        await using var second = Shard(shardClient, _root, "second", 7603, output);
        await second.JoinRingAsync().DefaultTimeout();
        var ring = await watcher.RingAsync(r => r.Members.Length == 2);
        Assert.Equal(["first", "second"], ring.Ids());
    }

    [Fact]
    public async Task A_shard_id_held_by_another_live_session_is_taken_over_when_that_session_ends()
    {
        await using var c1 = await ConnectedAsync(output, TestServers.ZooKeeper, "first");
        var c2 = await ConnectedAsync(output, TestServers.ZooKeeper, "second");
        await using var watcher = await WatcherAsync(c1, _root, output);
        await using var holder = Shard(c2, _root, "contested", 7701, output);
        Assert.Equal(MembershipResult.Ok, await holder.JoinRingAsync().DefaultTimeout());
        await using var contender = Shard(c1, _root, "contested", 7801, output);
        Assert.Equal(MembershipResult.OwnedByAnotherSession, await contender.JoinRingAsync().DefaultTimeout());
        Assert.False(contender.IsRegistered);

        // The holder's process ends (its session closes): the contender's background retries take over.
        await holder.DisposeAsync();
        await c2.DisposeAsync();
        var ring = await watcher.RingAsync(r => r.Find("contested")?.MuxPort == 7801);
        Assert.Equal(c1.SessionId, (await c1.ExistsAsync(_root + "/ring/contested").DefaultTimeout()).Value!.EphemeralOwner);
        Assert.True(await EventuallyAsync(() => Task.FromResult(contender.IsInRing)));
        Assert.NotNull(ring);
    }

    private static Process StartHolder(string root, string shardId, int sessionTimeoutMs)
    {
        var holderDll = Path.Combine(AppContext.BaseDirectory, "ZkSessionHolder.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { holderDll, TestServers.ZooKeeper, root, shardId, "7901", sessionTimeoutMs.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("ZkSessionHolder did not start");
    }
}
