using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Runs watch callbacks and state notifications one at a time, in the order the socket reader saw
/// them, on a single loop of its own: a slow callback never stalls the reader (pings and replies
/// keep flowing), and callbacks never run concurrently with each other.
/// </summary>
/// <remarks>
/// The queue is unbounded on purpose: every entry is a one-shot watch that fired (the registry
/// holds at most one per watcher and path) or a state change, so it cannot outgrow what the
/// process registered. Dropping one would lose a ring change.
/// </remarks>
internal sealed class EventDispatcher
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Post(Action work) => _queue.Writer.TryWrite(work);

    /// <summary>Runs what is queued, then stops.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync())
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                // A callback's bug must not stop the delivery of every later event.
                ZooKeeperLog.CallbackFailed(_logger, ex);
            }
        }
    }
}
