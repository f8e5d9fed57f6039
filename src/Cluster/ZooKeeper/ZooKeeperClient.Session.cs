namespace Chat.Cluster.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    /// <summary>A new session is asked for with id 0 and an all-zero 16-byte password.</summary>
    private static readonly byte[] NoPassword = new byte[16];

    private int _state = (int)ZooKeeperState.Connecting;
    private long _sessionId;
    private byte[] _password = NoPassword;
    private long _negotiatedTicks;
    private string? _connectedServer;
    private bool _closeRequested;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void EnsureStarted()
    {
        if (_sessionLoop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _sessionLoop ??= Task.Run(RunSessionLoopAsync);
        }
    }

    /// <summary>
    /// Holds the session: connect to a server, serve until the connection breaks, then the next
    /// server with the same session. Pauses (with backoff and jitter) only after a whole round of
    /// servers failed, so a leader change costs one quick hop to another server.
    /// </summary>
    private async Task RunSessionLoopAsync()
    {
        var servers = _context.ConnectString.Servers.OrderBy(_ => _random.Next()).ToArray();
        var next = 0;
        var failedInRound = 0;
        var delay = _options.ReconnectDelay;
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested && !Volatile.Read(ref _closeRequested))
        {
            var (host, port) = servers[next];
            next = (next + 1) % servers.Length;
            var sessionId = SessionId;
            ZooKeeperLog.Connecting(_context.Logger, host, port, sessionId);
            HandshakeResult result;
            try
            {
                result = await ZooKeeperConnection.OpenAsync(_context, host, port, sessionId, Volatile.Read(ref _password), NextXid, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            switch (result.Outcome)
            {
                case HandshakeOutcome.Expired:
                    OnExpired(sessionId);
                    continue;
                case HandshakeOutcome.Failed:
                    ZooKeeperLog.ConnectFailed(_context.Logger, host, port, result.Failure);
                    if (++failedInRound >= servers.Length)
                    {
                        failedInRound = 0;
                        var pause = delay * (0.5 + _random.NextDouble() / 2);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                        try
                        {
                            await Task.Delay(pause, _context.Time, stopping);
                        }
                        catch (OperationCanceledException)
                        {
                            // Closing. (A `break` here would only leave the switch.)
                            return;
                        }
                    }

                    continue;
                default:
                    break;
            }

            failedInRound = 0;
            delay = _options.ReconnectDelay;
            await using var connection = result.Connection!;
            var isNew = result.SessionId != sessionId;
            Volatile.Write(ref _sessionId, result.SessionId);
            Volatile.Write(ref _password, result.Password!);
            Volatile.Write(ref _negotiatedTicks, result.NegotiatedTimeout.Ticks);
            Volatile.Write(ref _connectedServer, connection.Server);
            ZooKeeperLog.Connected(_context.Logger, connection.Server, result.SessionId, (long)result.NegotiatedTimeout.TotalMilliseconds, isNew);
            SetState(ZooKeeperState.Connected, result.SessionId, isNew);

            var reason = await connection.RunAsync(_outgoing, stopping);
            Volatile.Write(ref _connectedServer, null);
            if (stopping.IsCancellationRequested || Volatile.Read(ref _closeRequested))
            {
                break;
            }

            ZooKeeperLog.ConnectionLost(_context.Logger, connection.Server, result.SessionId, reason);
            SetState(ZooKeeperState.Disconnected, result.SessionId, false);
        }
    }

    /// <summary>
    /// The server no longer knows the session: its ephemeral nodes and watches are gone. Every
    /// watcher hears SessionExpired (the one-shot watch will never fire), subscribers hear Expired,
    /// and the loop opens a new session with the next attempt.
    /// </summary>
    private void OnExpired(long sessionId)
    {
        ZooKeeperLog.SessionExpired(_context.Logger, sessionId);
        Volatile.Write(ref _sessionId, 0);
        Volatile.Write(ref _password, NoPassword);
        foreach (var (watcher, path) in _context.Watches.RemoveAll())
        {
            var expired = new WatchedEvent(WatchEventType.SessionExpired, path);
            _context.Dispatcher.Post(() => watcher(expired));
        }

        SetState(ZooKeeperState.Expired, sessionId, false);
    }

    private void SetState(ZooKeeperState state, long sessionId, bool isNewSession)
    {
        Volatile.Write(ref _state, (int)state);
        if (state == ZooKeeperState.Connected)
        {
            _connected.TrySetResult();
        }
        else if (_connected.Task.IsCompleted)
        {
            Volatile.Write(ref _connected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        var change = new ZooKeeperStateChange(state, sessionId, isNewSession);
        _context.Dispatcher.Post(() => StateChanged?.Invoke(change));
    }

    private int NextXid()
    {
        // Positive xids only: negative ones mark pings, events and SetWatches.
        var xid = Interlocked.Increment(ref _xid);
        if (xid <= 0)
        {
            Interlocked.CompareExchange(ref _xid, 1, xid);
            xid = Interlocked.Increment(ref _xid);
        }

        return xid;
    }
}
