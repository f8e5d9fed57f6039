using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

/// <summary>Which watches an event fires, following the server (ZooKeeper's WatchManager).</summary>
public sealed class WatchRegistryTests
{
    private readonly WatchRegistry _registry = new();
    private readonly Action<WatchedEvent> _a = _ => { };
    private readonly Action<WatchedEvent> _b = _ => { };

    [Fact]
    public void Exists_leaves_a_data_watch_on_a_node_and_an_exist_watch_on_no_node()
    {
        _registry.Register(new WatchRegistration(WatchKind.Exists, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Exists, "/y", _b), ZooKeeperError.NoNode);
        var (data, exist, child) = _registry.Paths();
        Assert.Equal(["/x"], data);
        Assert.Equal(["/y"], exist);
        Assert.Empty(child);
    }

    [Theory]
    [InlineData((int)WatchKind.Data, ZooKeeperError.NoNode)]
    [InlineData((int)WatchKind.Child, ZooKeeperError.NoNode)]
    [InlineData((int)WatchKind.Data, ZooKeeperError.ConnectionLoss)]
    [InlineData((int)WatchKind.Exists, ZooKeeperError.OperationTimeout)]
    public void A_failed_read_leaves_no_watch(int kind, ZooKeeperError error)
    {
        _registry.Register(new WatchRegistration((WatchKind)kind, "/x", _a), error);
        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public void Events_fire_the_matching_kinds_once()
    {
        _registry.Register(new WatchRegistration(WatchKind.Data, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Child, "/x", _b), ZooKeeperError.Ok);

        Assert.Equal([_b], _registry.Trigger(WatchEventType.NodeChildrenChanged, "/x"));
        Assert.Empty(_registry.Trigger(WatchEventType.NodeChildrenChanged, "/x"));
        Assert.Empty(_registry.Trigger(WatchEventType.NodeDataChanged, "/other"));
        Assert.Equal([_a], _registry.Trigger(WatchEventType.NodeDataChanged, "/x"));
        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public void Node_deleted_fires_data_exist_and_child_watches_and_a_watcher_once()
    {
        _registry.Register(new WatchRegistration(WatchKind.Data, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Child, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Child, "/x", _b), ZooKeeperError.Ok);
        var fired = _registry.Trigger(WatchEventType.NodeDeleted, "/x");
        Assert.Equal(2, fired.Count);
        Assert.Contains(_a, fired);
        Assert.Contains(_b, fired);
    }

    [Fact]
    public void Node_created_fires_exist_watches()
    {
        _registry.Register(new WatchRegistration(WatchKind.Exists, "/x", _a), ZooKeeperError.NoNode);
        Assert.Equal([_a], _registry.Trigger(WatchEventType.NodeCreated, "/x"));
    }

    [Fact]
    public void Remove_all_returns_each_watcher_and_path_once()
    {
        _registry.Register(new WatchRegistration(WatchKind.Data, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Data, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Child, "/x", _a), ZooKeeperError.Ok);
        _registry.Register(new WatchRegistration(WatchKind.Exists, "/y", _b), ZooKeeperError.NoNode);
        var all = _registry.RemoveAll();
        Assert.Equal(2, all.Count);
        Assert.Contains((_a, "/x"), all);
        Assert.Contains((_b, "/y"), all);
        Assert.Equal(0, _registry.Count);
    }
}
