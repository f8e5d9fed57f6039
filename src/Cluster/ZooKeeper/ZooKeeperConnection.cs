using System.Net.Sockets;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// One TCP connection carrying the session to one server: handshake, then a reader, a writer and a
/// pinger until any of them fails. It never reconnects itself; <see cref="ZooKeeperClient"/> opens
/// the next one.
/// </summary>
/// <remarks>
/// <code>
///  callers --> outgoing queue --> writer: stamp xid, add to in-flight, write  --> server
///  callers <-- completions (thread pool) <-- reader: match in-flight by order <--/
///  watchers <-- dispatcher loop <---------- reader: xid -1 events, registry ---/
/// </code>
/// Replies come back in request order, so a request joins the in-flight queue before it is written
/// (its reply may beat the write's completion) and any xid mismatch means the stream is broken.
/// </remarks>
internal sealed partial class ZooKeeperConnection : IAsyncDisposable
{
    private const int PingXid = -2;
    private const int WatchEventXid = -1;
    private const int AuthXid = -4;
    private const int SetWatchesXid = -8;

    private readonly SessionContext _context;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _inFlightLock = new();
    private readonly Queue<ZooKeeperRequest> _inFlight = new();
    private readonly TimeSpan _sessionTimeout;
    private readonly Func<int> _nextXid;

    private ZooKeeperConnection(SessionContext context, Socket socket, string server, TimeSpan sessionTimeout, Func<int> nextXid)
    {
        _context = context;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _sessionTimeout = sessionTimeout;
        _nextXid = nextXid;
        Server = server;
    }

    public string Server { get; }

    /// <summary>
    /// Serves the session until the connection fails or <paramref name="cancellationToken"/> fires;
    /// returns why it ended. Calls still awaiting a reply then get ConnectionLoss.
    /// </summary>
    public async Task<string> RunAsync(RequestQueue outgoing, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadLoopAsync(stop.Token);
        var writer = WriteLoopAsync(outgoing, stop.Token);
        var pinger = PingLoopAsync(stop.Token);
        var first = await Task.WhenAny(reader, writer, pinger);
        var reason = await first;
        await stop.CancelAsync();

        // Closing the socket ends a read or write still pending in the other loops.
        _socket.Close();
        await Task.WhenAll(reader, writer, pinger);
        FailInFlight(ZooKeeperError.ConnectionLoss);
        return reason;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
        _writeLock.Dispose();
    }

    private void FailInFlight(ZooKeeperError error)
    {
        List<ZooKeeperRequest> failed;
        lock (_inFlightLock)
        {
            failed = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach (var request in failed)
        {
            request.Fail(error);
        }
    }
}
