using Chat.Cluster.Routing;
using Chat.Gateway.Routing;

namespace Chat.Tests.Gateway.Support;

/// <summary>A ring the test sets by hand (in the process it comes from ZooKeeper).</summary>
public sealed class TestRing : IRingSource
{
    private RingSnapshot _current = RingSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RingSnapshot Current => Volatile.Read(ref _current);

    public event Action<RingSnapshot>? Changed;

    public void Set(long epoch, params RingMember[] members)
    {
        var ring = new RingSnapshot(epoch, members);
        Volatile.Write(ref _current, ring);
        Changed?.Invoke(ring);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public async Task<RingSnapshot?> WaitForAsync(Func<RingSnapshot, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var current = Current;
            if (predicate(current))
            {
                return current;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }
}
