using Chat.Cluster.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Every operation against the standalone ZooKeeper 3.8 of scripts/test.sh.</summary>
public sealed class ZooKeeperOperationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _root = UniqueRoot();
    private ZooKeeperClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await ConnectedAsync(output, TestServers.ZooKeeper);
        Assert.Equal(ZooKeeperError.Ok, (await _client.CreateAsync(_root, default, CreateMode.Persistent).DefaultTimeout()).Error);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Connect_negotiates_a_session()
    {
        Assert.Equal(ZooKeeperState.Connected, _client.State);
        Assert.NotEqual(0, _client.SessionId);
        Assert.Equal(16, _client.SessionPassword.Length);
        Assert.Equal(TimeSpan.FromSeconds(4), _client.NegotiatedSessionTimeout);
        Assert.NotNull(_client.ConnectedServer);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Create_get_set_and_delete_a_persistent_node()
    {
        var path = _root + "/a";
        var created = await _client.CreateAsync(path, Utf8("one"), CreateMode.Persistent).DefaultTimeout();
        Assert.Equal(ZooKeeperResult<string>.Ok(path), created);

        var read = await _client.GetDataAsync(path).DefaultTimeout();
        Assert.True(read.IsOk);
        Assert.Equal("one", Text(read.Value!.Data));
        Assert.Equal(0, read.Value.Stat.Version);
        Assert.Equal(0, read.Value.Stat.EphemeralOwner);

        var set = await _client.SetDataAsync(path, Utf8("two"), version: 0).DefaultTimeout();
        Assert.True(set.IsOk);
        Assert.Equal(1, set.Value!.Version);
        Assert.Equal(3, set.Value.DataLength);

        Assert.Equal(ZooKeeperError.BadVersion, (await _client.SetDataAsync(path, Utf8("x"), version: 0).DefaultTimeout()).Error);
        Assert.Equal(ZooKeeperError.BadVersion, await _client.DeleteAsync(path, version: 0).DefaultTimeout());
        Assert.Equal("two", Text((await _client.GetDataAsync(path).DefaultTimeout()).Value!.Data));

        Assert.Equal(ZooKeeperError.Ok, await _client.DeleteAsync(path, version: 1).DefaultTimeout());
        Assert.Equal(ZooKeeperError.NoNode, (await _client.GetDataAsync(path).DefaultTimeout()).Error);
        Assert.Equal(ZooKeeperError.NoNode, await _client.DeleteAsync(path).DefaultTimeout());
    }

    [Fact]
    public async Task Create_reports_existing_nodes_and_missing_parents()
    {
        Assert.Equal(ZooKeeperError.NodeExists, (await _client.CreateAsync(_root, default, CreateMode.Persistent).DefaultTimeout()).Error);
        Assert.Equal(ZooKeeperError.NoNode, (await _client.CreateAsync(_root + "/missing/child", default, CreateMode.Persistent).DefaultTimeout()).Error);
    }

    [Fact]
    public async Task Exists_returns_the_stat_or_NoNode()
    {
        Assert.Equal(ZooKeeperError.NoNode, (await _client.ExistsAsync(_root + "/none").DefaultTimeout()).Error);
        var stat = await _client.ExistsAsync(_root).DefaultTimeout();
        Assert.True(stat.IsOk);
        Assert.Equal(0, stat.Value!.NumChildren);
    }

    [Fact]
    public async Task Ephemeral_nodes_belong_to_the_session_and_go_with_it()
    {
        var path = _root + "/eph";
        await using (var owner = await ConnectedAsync(output, TestServers.ZooKeeper, "owner"))
        {
            Assert.True((await owner.CreateAsync(path, Utf8("x"), CreateMode.Ephemeral).DefaultTimeout()).IsOk);
            var stat = await _client.ExistsAsync(path).DefaultTimeout();
            Assert.Equal(owner.SessionId, stat.Value!.EphemeralOwner);
            Assert.Equal(ZooKeeperError.NoChildrenForEphemerals, (await owner.CreateAsync(path + "/c", default, CreateMode.Persistent).DefaultTimeout()).Error);
        }

        // Closing the session deletes its ephemeral nodes at once.
        Assert.Equal(ZooKeeperError.NoNode, (await _client.ExistsAsync(path).DefaultTimeout()).Error);
    }

    [Fact]
    public async Task Sequential_nodes_get_increasing_suffixes()
    {
        var first = await _client.CreateAsync(_root + "/s-", default, CreateMode.PersistentSequential).DefaultTimeout();
        var second = await _client.CreateAsync(_root + "/s-", default, CreateMode.EphemeralSequential).DefaultTimeout();
        Assert.Equal(_root + "/s-0000000000", first.Value);
        Assert.Equal(_root + "/s-0000000001", second.Value);
        Assert.Equal(_client.SessionId, (await _client.ExistsAsync(second.Value!).DefaultTimeout()).Value!.EphemeralOwner);
    }

    [Fact]
    public async Task GetChildren_returns_names_and_the_cversion_of_the_same_reply()
    {
        var empty = await _client.GetChildrenAsync(_root).DefaultTimeout();
        Assert.Empty(empty.Value!.Children);
        Assert.Equal(0, empty.Value.Stat.Cversion);

        await _client.CreateAsync(_root + "/b", default, CreateMode.Persistent).DefaultTimeout();
        await _client.CreateAsync(_root + "/a", default, CreateMode.Ephemeral).DefaultTimeout();
        await _client.DeleteAsync(_root + "/b").DefaultTimeout();

        var children = await _client.GetChildrenAsync(_root).DefaultTimeout();
        Assert.Equal(new[] { "a" }, children.Value!.Children.AsEnumerable());
        Assert.Equal(3, children.Value.Stat.Cversion);
        Assert.Equal(1, children.Value.Stat.NumChildren);
        Assert.Equal(ZooKeeperError.NotEmpty, await _client.DeleteAsync(_root).DefaultTimeout());
        Assert.Equal(ZooKeeperError.NoNode, (await _client.GetChildrenAsync(_root + "/none").DefaultTimeout()).Error);
    }

    [Fact]
    public async Task Multi_applies_all_operations_or_none()
    {
        await _client.CreateAsync(_root + "/m", Utf8("v0"), CreateMode.Persistent).DefaultTimeout();
        var ok = await _client.MultiAsync(
        [
            ZooKeeperOp.Check(_root + "/m", 0),
            ZooKeeperOp.Create(_root + "/m/x", Utf8("x"), CreateMode.Persistent),
            ZooKeeperOp.Create(_root + "/q-", default, CreateMode.PersistentSequential),
            ZooKeeperOp.SetData(_root + "/m", Utf8("v1"), 0),
            ZooKeeperOp.Delete(_root + "/m/x"),
        ]).DefaultTimeout();
        Assert.Equal(ZooKeeperError.Ok, ok.Error);
        Assert.Equal(
            [ZooKeeperOpKind.Check, ZooKeeperOpKind.Create, ZooKeeperOpKind.Create, ZooKeeperOpKind.SetData, ZooKeeperOpKind.Delete],
            ok.Value.Select(r => r.Kind));
        Assert.All(ok.Value, r => Assert.Equal(ZooKeeperError.Ok, r.Error));
        Assert.Equal(_root + "/m/x", ok.Value[1].Path);
        Assert.Equal(_root + "/q-0000000001", ok.Value[2].Path);
        Assert.Equal(1, ok.Value[3].Stat!.Version);

        var failed = await _client.MultiAsync(
        [
            ZooKeeperOp.Create(_root + "/never", default, CreateMode.Persistent),
            ZooKeeperOp.SetData(_root + "/m", Utf8("v2"), 0),
            ZooKeeperOp.Delete(_root + "/m"),
        ]).DefaultTimeout();
        Assert.Equal(ZooKeeperError.BadVersion, failed.Error);
        Assert.Equal([ZooKeeperError.Ok, ZooKeeperError.BadVersion, ZooKeeperError.RuntimeInconsistency], failed.Value.Select(r => r.Error));
        Assert.Equal(ZooKeeperError.NoNode, (await _client.ExistsAsync(_root + "/never").DefaultTimeout()).Error);
        Assert.Equal("v1", Text((await _client.GetDataAsync(_root + "/m").DefaultTimeout()).Value!.Data));
    }

    [Fact]
    public async Task Chroot_maps_every_path_both_ways()
    {
        await using var rooted = await ConnectedAsync(output, TestServers.ZooKeeper + _root, "chroot");
        Assert.Equal(_root, rooted.Chroot);
        var created = await rooted.CreateAsync("/c", Utf8("in"), CreateMode.Persistent).DefaultTimeout();
        Assert.Equal("/c", created.Value);
        Assert.Equal("in", Text((await _client.GetDataAsync(_root + "/c").DefaultTimeout()).Value!.Data));
        var seq = await rooted.CreateAsync("/c/s-", default, CreateMode.PersistentSequential).DefaultTimeout();
        Assert.Equal("/c/s-0000000000", seq.Value);
        Assert.Equal(new[] { "c" }, (await rooted.GetChildrenAsync("/").DefaultTimeout()).Value!.Children.AsEnumerable());

        var log = new WatchLog();
        await rooted.GetDataAsync("/c", log.Watcher).DefaultTimeout();
        await _client.SetDataAsync(_root + "/c", Utf8("changed")).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, "/c"), await log.NextAsync(0));
    }

    [Fact]
    public async Task Bad_paths_are_refused_before_sending()
    {
        foreach (var path in new[] { "", "a", "/a/", "/a//b", "/a/./b", "/a/../b", "/a\0b" })
        {
            Assert.Equal(ZooKeeperError.BadArguments, (await _client.GetDataAsync(path).DefaultTimeout()).Error);
        }

        Assert.Equal(ZooKeeperError.BadArguments, (await _client.MultiAsync([ZooKeeperOp.Delete("nope")]).DefaultTimeout()).Error);
        Assert.Equal(ZooKeeperState.Connected, _client.State);
    }

    [Fact]
    public async Task Large_data_round_trips()
    {
        var data = new byte[900 * 1024];
        new Random(42).NextBytes(data);
        Assert.True((await _client.CreateAsync(_root + "/big", data, CreateMode.Persistent).DefaultTimeout()).IsOk);
        Assert.Equal(data, (await _client.GetDataAsync(_root + "/big").DefaultTimeout()).Value!.Data.ToArray());
    }

    [Fact]
    public async Task Many_concurrent_calls_complete_in_order()
    {
        var calls = Enumerable.Range(0, 500)
            .Select(i => _client.CreateAsync($"{_root}/n-{i:D3}", Utf8(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CreateMode.Persistent))
            .ToList();
        var results = await Task.WhenAll(calls).DefaultTimeout();
        Assert.All(results, r => Assert.True(r.IsOk));
        var children = await _client.GetChildrenAsync(_root).DefaultTimeout();
        Assert.Equal(500, children.Value!.Children.Length);
    }

    [Fact]
    public async Task Cancelled_calls_throw_and_the_client_carries_on()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetDataAsync(_root, cancellationToken: cancelled.Token));
        Assert.True((await _client.GetDataAsync(_root).DefaultTimeout()).IsOk);
    }

    [Fact]
    public async Task Calls_after_close_return_ClientClosed()
    {
        var client = await ConnectedAsync(output, TestServers.ZooKeeper, "closing");
        await client.CloseAsync().DefaultTimeout();
        Assert.Equal(ZooKeeperState.Closed, client.State);
        Assert.Equal(ZooKeeperError.ClientClosed, (await client.ExistsAsync("/").DefaultTimeout()).Error);
        await client.DisposeAsync();
    }
}
