namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Calls waiting to be written, in order, bounded. A call whose caller gave up (timeout, cancel)
/// leaves the queue at once, so during an outage abandoned calls never take the room of new ones.
/// One reader at a time: the writer loop of the current connection.
/// </summary>
internal sealed class RequestQueue(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<ZooKeeperRequest> _items = new();
    private readonly Dictionary<ZooKeeperRequest, LinkedListNode<ZooKeeperRequest>> _nodes = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource? _itemAdded;
    private bool _closed;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>False when full or closed.</summary>
    public bool TryEnqueue(ZooKeeperRequest request)
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (_closed || _items.Count >= capacity)
            {
                return false;
            }

            _nodes[request] = _items.AddLast(request);
            signal = _itemAdded;
            _itemAdded = null;
        }

        signal?.TrySetResult();
        return true;
    }

    /// <summary>Takes the request out if it is still waiting (its caller gave up).</summary>
    public void Remove(ZooKeeperRequest request)
    {
        lock (_lock)
        {
            if (_nodes.Remove(request, out var node))
            {
                _items.Remove(node);
            }
        }
    }

    /// <summary>The next request, waiting for one; null once closed and empty.</summary>
    public async ValueTask<ZooKeeperRequest?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (_items.First is { } first)
                {
                    _items.RemoveFirst();
                    _nodes.Remove(first.Value);
                    return first.Value;
                }

                if (_closed)
                {
                    return null;
                }

                _itemAdded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                added = _itemAdded.Task;
            }

            await added.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Refuses new requests and returns the ones still waiting.</summary>
    public List<ZooKeeperRequest> Close()
    {
        TaskCompletionSource? signal;
        List<ZooKeeperRequest> left;
        lock (_lock)
        {
            _closed = true;
            left = [.. _items];
            _items.Clear();
            _nodes.Clear();
            signal = _itemAdded;
            _itemAdded = null;
        }

        signal?.TrySetResult();
        return left;
    }
}
