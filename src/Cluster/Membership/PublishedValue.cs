namespace Chat.Cluster.Membership;

/// <summary>
/// The latest snapshot a watcher (<see cref="RingWatcher"/>, <see cref="GatewayDirectory"/>) has
/// put in force, and the waits on it: "until the first read is done" and "until a snapshot
/// satisfies a predicate". Waiters of a new snapshot are woken only after the watcher's subscribers
/// ran (<see cref="Set"/> hands back the wake-up), so a snapshot a waiter sees has been announced.
/// </summary>
internal sealed class PublishedValue<T>(T initial)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _current = initial;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public T Current => Volatile.Read(ref _current);

    /// <summary>Puts <paramref name="next"/> in force; returns the one before and the wake-up to complete after the subscribers ran.</summary>
    public (T Previous, TaskCompletionSource WakeWaiters) Set(T next)
    {
        lock (_lock)
        {
            var previous = _current;
            Volatile.Write(ref _current, next);
            var published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (previous, published);
        }
    }

    /// <summary>The first read finished (whether or not it changed the value).</summary>
    public void FirstReadDone() => _firstRead.TrySetResult();

    /// <summary>Waits for the first read; false if <paramref name="cancellationToken"/> fired first.</summary>
    public async Task<bool> WaitForFirstReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _firstRead.Task.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The value in force once it satisfies <paramref name="predicate"/>; null when <paramref name="timeout"/> passes first.</summary>
    public async Task<T?> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var published = Volatile.Read(ref _published).Task;
            var current = Current;
            if (predicate(current))
            {
                return current;
            }

            try
            {
                await published.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
