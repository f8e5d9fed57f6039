using Microsoft.Extensions.Logging;

namespace Chat.Cluster.ZooKeeper;

/// <summary>What outlives one connection of a client: settings, chroot, watches, dispatch, the last zxid seen.</summary>
internal sealed class SessionContext
{
    private long _lastZxid;

    public SessionContext(ZooKeeperClientOptions options, ConnectString connectString, ILogger logger, TimeProvider time)
    {
        Options = options;
        ConnectString = connectString;
        Logger = logger;
        Time = time;
        Dispatcher = new EventDispatcher(logger);
    }

    public ZooKeeperClientOptions Options { get; }

    public ConnectString ConnectString { get; }

    public string Chroot => ConnectString.Chroot;

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public WatchRegistry Watches { get; } = new();

    public EventDispatcher Dispatcher { get; }

    /// <summary>Highest zxid seen in a reply; a server behind it refuses the session (it would show older data).</summary>
    public long LastZxid => Volatile.Read(ref _lastZxid);

    public void ObserveZxid(long zxid)
    {
        var current = Volatile.Read(ref _lastZxid);
        while (zxid > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastZxid, zxid, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
