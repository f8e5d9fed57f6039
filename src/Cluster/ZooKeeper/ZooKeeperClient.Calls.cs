namespace Chat.Cluster.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Closes the session (its ephemeral nodes go at once) and stops the client. Calls still
    /// queued get ClientClosed. Safe to call more than once.
    /// </summary>
    public Task CloseAsync()
    {
        lock (_startLock)
        {
            return _closing ??= CloseCoreAsync();
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task<ZooKeeperResult<T>> SubmitAsync<T>(ZooKeeperRequest<T> request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_closing is not null && request.Op != OpCode.CloseSession)
        {
            return ZooKeeperResult<T>.Failed(ZooKeeperError.ClientClosed);
        }

        EnsureStarted();
        if (Interlocked.Increment(ref _pending) > _options.MaxPendingRequests)
        {
            Interlocked.Decrement(ref _pending);
            ZooKeeperLog.QueueFull(_context.Logger, _options.MaxPendingRequests);
            return ZooKeeperResult<T>.Failed(ZooKeeperError.RequestQueueFull);
        }

        try
        {
            if (!_outgoing.TryEnqueue(request))
            {
                return ZooKeeperResult<T>.Failed(_stopping.IsCancellationRequested ? ZooKeeperError.ClientClosed : ZooKeeperError.RequestQueueFull);
            }

            try
            {
                using var deadline = new CancellationTokenSource(timeout ?? _options.RequestTimeout, _context.Time);
                await using var onTimeout = deadline.Token.UnsafeRegister(static state => ((ZooKeeperRequest)state!).Fail(ZooKeeperError.OperationTimeout), request);
                await using var onCancel = cancellationToken.UnsafeRegister(
                    static (state, token) => ((ZooKeeperRequest)state!).Cancel(token), request);
                return await request.Task;
            }
            finally
            {
                // Given up while still queued (timeout, cancel): free its room now, not at the next connection.
                _outgoing.Remove(request);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private async Task CloseCoreAsync()
    {
        Volatile.Write(ref _closeRequested, true);
        if (State == ZooKeeperState.Connected)
        {
            // The server answers, then closes the socket; the loop must not take that for a failure.
            var frame = RequestEncoder.Empty(OpCode.CloseSession);
            var close = new ZooKeeperRequest<bool>(OpCode.CloseSession, frame, ReplyParsers.None);
            var timeout = _options.RequestTimeout < TimeSpan.FromSeconds(2) ? _options.RequestTimeout : TimeSpan.FromSeconds(2);
            _ = await SubmitAsync(close, timeout, CancellationToken.None);
        }

        await _stopping.CancelAsync();
        foreach (var left in _outgoing.Close())
        {
            left.Fail(ZooKeeperError.ClientClosed);
        }

        if (_sessionLoop is not null)
        {
            await _sessionLoop;
        }

        var sessionId = SessionId;
        ZooKeeperLog.Closed(_context.Logger, sessionId);
        SetState(ZooKeeperState.Closed, sessionId, false);
        await _context.Dispatcher.CompleteAsync();
    }
}
