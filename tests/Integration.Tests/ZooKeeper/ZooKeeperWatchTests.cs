using System.Diagnostics;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Data, exist and child watches with the server's one-shot semantics.</summary>
public sealed class ZooKeeperWatchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _root = UniqueRoot("w");
    private ZooKeeperClient _watcher = null!;
    private ZooKeeperClient _writer = null!;

    public async Task InitializeAsync()
    {
        _watcher = await ConnectedAsync(output, TestServers.ZooKeeper, "watcher");
        _writer = await ConnectedAsync(output, TestServers.ZooKeeper, "writer");
        await CreatePathAsync(_writer, _root);
    }

    public async Task DisposeAsync()
    {
        await _watcher.DisposeAsync();
        await _writer.DisposeAsync();
    }

    [Fact]
    public async Task Data_watch_fires_once_on_change()
    {
        var path = _root + "/d";
        await _writer.CreateAsync(path, Utf8("0"), CreateMode.Persistent).DefaultTimeout();
        var log = new WatchLog();
        Assert.True((await _watcher.GetDataAsync(path, log.Watcher).DefaultTimeout()).IsOk);

        await _writer.SetDataAsync(path, Utf8("1")).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, path), await log.NextAsync(0));

        // One-shot: without a new read, the next change fires nothing. A re-armed watch then sees the change after it.
        await _writer.SetDataAsync(path, Utf8("2")).DefaultTimeout();
        await _watcher.GetDataAsync(path, log.Watcher).DefaultTimeout();
        await _writer.DeleteAsync(path).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, path), await log.NextAsync(1));
        Assert.Equal(2, log.Events.Count);
    }

    [Fact]
    public async Task Exists_watch_on_a_missing_node_fires_on_create()
    {
        var path = _root + "/e";
        var log = new WatchLog();
        Assert.Equal(ZooKeeperError.NoNode, (await _watcher.ExistsAsync(path, log.Watcher).DefaultTimeout()).Error);
        await _writer.CreateAsync(path, default, CreateMode.Ephemeral).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeCreated, path), await log.NextAsync(0));

        Assert.True((await _watcher.ExistsAsync(path, log.Watcher).DefaultTimeout()).IsOk);
        await _writer.SetDataAsync(path, Utf8("x")).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDataChanged, path), await log.NextAsync(1));

        Assert.True((await _watcher.ExistsAsync(path, log.Watcher).DefaultTimeout()).IsOk);
        await _writer.DeleteAsync(path).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, path), await log.NextAsync(2));
    }

    [Fact]
    public async Task Child_watch_fires_on_join_and_leave_within_one_second()
    {
        var members = _root + "/members";
        await _writer.CreateAsync(members, default, CreateMode.Persistent).DefaultTimeout();
        var joins = new List<TimeSpan>();
        var leaves = new List<TimeSpan>();

        // Five joins and leaves: the bound applies to the median, so one scheduling stall of a
        // shared test machine (a JIT or GC pause of another process) does not decide the outcome.
        for (var round = 0; round < 5; round++)
        {
            var log = new WatchLog();
            var before = await _watcher.GetChildrenAsync(members, log.Watcher).DefaultTimeout();
            Assert.Empty(before.Value!.Children);
            var joined = Stopwatch.StartNew();
            await _writer.CreateAsync(members + "/m1", default, CreateMode.Ephemeral).DefaultTimeout();
            Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, members), await log.NextAsync(0));
            joins.Add(joined.Elapsed);

            var children = await _watcher.GetChildrenAsync(members, log.Watcher).DefaultTimeout();
            Assert.Equal(new[] { "m1" }, children.Value!.Children.AsEnumerable());
            var left = Stopwatch.StartNew();
            await _writer.DeleteAsync(members + "/m1").DefaultTimeout();
            Assert.Equal(new WatchedEvent(WatchEventType.NodeChildrenChanged, members), await log.NextAsync(1));
            leaves.Add(left.Elapsed);
        }

        output.WriteLine($"child watch, from the other session's call to our callback: joins [{Ms(joins)}] ms, leaves [{Ms(leaves)}] ms");
        Assert.InRange(Median(joins), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.InRange(Median(leaves), TimeSpan.Zero, TimeSpan.FromSeconds(1));

        static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);
        static string Ms(List<TimeSpan> samples) => string.Join(", ", samples.Select(s => s.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Deleting_a_node_fires_its_data_and_child_watches()
    {
        var path = _root + "/gone";
        await _writer.CreateAsync(path, default, CreateMode.Persistent).DefaultTimeout();
        var data = new WatchLog();
        var child = new WatchLog();
        await _watcher.GetDataAsync(path, data.Watcher).DefaultTimeout();
        await _watcher.GetChildrenAsync(path, child.Watcher).DefaultTimeout();
        await _writer.DeleteAsync(path).DefaultTimeout();
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, path), await data.NextAsync(0));
        Assert.Equal(new WatchedEvent(WatchEventType.NodeDeleted, path), await child.NextAsync(0));
    }

    [Fact]
    public async Task A_watcher_set_twice_on_one_path_fires_once()
    {
        var path = _root + "/twice";
        await _writer.CreateAsync(path, default, CreateMode.Persistent).DefaultTimeout();
        var log = new WatchLog();
        await _watcher.GetDataAsync(path, log.Watcher).DefaultTimeout();
        await _watcher.ExistsAsync(path, log.Watcher).DefaultTimeout();

        // A second, later event proves the first one has been fully delivered.
        var marker = new WatchLog();
        await _watcher.ExistsAsync(_root + "/marker", marker.Watcher).DefaultTimeout();
        await _writer.SetDataAsync(path, Utf8("x")).DefaultTimeout();
        await _writer.CreateAsync(_root + "/marker", default, CreateMode.Ephemeral).DefaultTimeout();
        await marker.NextAsync(0);
        Assert.Single(log.Events);
    }

    [Fact]
    public async Task Events_arrive_in_order_one_at_a_time_and_off_the_socket_reader()
    {
        var order = new List<string>();
        var running = 0;
        var overlapped = false;
        using var release = new ManualResetEventSlim(false);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int Count = 20;

        void Watcher(WatchedEvent e)
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            first.TrySetResult();

            // The first callback blocks until the test has proved that replies still arrive meanwhile.
            release.Wait(TestTimeout);
            lock (order)
            {
                order.Add(e.Path);
                if (order.Count == Count)
                {
                    all.TrySetResult();
                }
            }

            Interlocked.Decrement(ref running);
        }

        var paths = Enumerable.Range(0, Count).Select(i => $"{_root}/o{i:D2}").ToList();
        foreach (var path in paths)
        {
            await _writer.CreateAsync(path, default, CreateMode.Persistent).DefaultTimeout();
            await _watcher.GetDataAsync(path, Watcher).DefaultTimeout();
        }

        foreach (var path in paths)
        {
            await _writer.SetDataAsync(path, Utf8("x")).DefaultTimeout();
        }

        await first.Task.DefaultTimeout();

        // A callback is blocked, yet calls complete and pings flow: callbacks do not run on the reader.
        Assert.True((await _watcher.GetDataAsync(paths[0]).DefaultTimeout()).IsOk);
        release.Set();
        await all.Task.DefaultTimeout();
        Assert.Equal(paths, order);
        Assert.False(overlapped);
    }
}
