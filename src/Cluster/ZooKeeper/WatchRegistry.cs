namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// The client's side of the server's one-shot watches, keyed by client path. The server keeps its
/// watches per connection, so this registry is what SetWatches re-arms after a reconnect.
/// </summary>
/// <remarks>
/// Which watches an event fires follows the server: NodeCreated and NodeDataChanged fire data and
/// exist watches, NodeChildrenChanged child watches, NodeDeleted all three. A watcher registered
/// twice on one path fires once.
/// </remarks>
internal sealed class WatchRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Action<WatchedEvent>>> _child = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _data.Values.Sum(s => s.Count) + _exist.Values.Sum(s => s.Count) + _child.Values.Sum(s => s.Count);
            }
        }
    }

    /// <summary>Records the watch a read asked for, given the read's outcome (the server only sets it on these outcomes).</summary>
    public void Register(WatchRegistration registration, ZooKeeperError replyError)
    {
        var target = (registration.Kind, replyError) switch
        {
            (WatchKind.Data, ZooKeeperError.Ok) => _data,
            (WatchKind.Exists, ZooKeeperError.Ok) => _data,
            (WatchKind.Exists, ZooKeeperError.NoNode) => _exist,
            (WatchKind.Child, ZooKeeperError.Ok) => _child,
            _ => null,
        };
        if (target is null)
        {
            return;
        }

        lock (_lock)
        {
            if (!target.TryGetValue(registration.Path, out var set))
            {
                set = [];
                target[registration.Path] = set;
            }

            set.Add(registration.Watcher);
        }
    }

    /// <summary>Removes and returns the watchers an event fires.</summary>
    public IReadOnlyCollection<Action<WatchedEvent>> Trigger(WatchEventType type, string path)
    {
        var fired = new HashSet<Action<WatchedEvent>>();
        lock (_lock)
        {
            switch (type)
            {
                case WatchEventType.NodeCreated:
                case WatchEventType.NodeDataChanged:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    break;
                case WatchEventType.NodeChildrenChanged:
                    Take(_child, path, fired);
                    break;
                case WatchEventType.NodeDeleted:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    Take(_child, path, fired);
                    break;
                default:
                    break;
            }
        }

        return fired;
    }

    /// <summary>Removes every watch (the session is gone) and returns each watcher with the paths it watched.</summary>
    public List<(Action<WatchedEvent> Watcher, string Path)> RemoveAll()
    {
        var all = new List<(Action<WatchedEvent>, string)>();
        lock (_lock)
        {
            foreach (var map in new[] { _data, _exist, _child })
            {
                foreach (var (path, set) in map)
                {
                    foreach (var watcher in set)
                    {
                        if (!all.Contains((watcher, path)))
                        {
                            all.Add((watcher, path));
                        }
                    }
                }

                map.Clear();
            }
        }

        return all;
    }

    /// <summary>The watched paths, for SetWatches after a reconnect.</summary>
    public (List<string> Data, List<string> Exist, List<string> Child) Paths()
    {
        lock (_lock)
        {
            return ([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys]);
        }
    }

    private static void Take(Dictionary<string, HashSet<Action<WatchedEvent>>> map, string path, HashSet<Action<WatchedEvent>> into)
    {
        if (map.Remove(path, out var set))
        {
            into.UnionWith(set);
        }
    }
}
