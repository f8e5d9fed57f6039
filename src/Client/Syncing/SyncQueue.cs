namespace Chat.Client.Syncing;

/// <summary>
/// The Sync requests of one connection. SyncResult carries no request id, so answers are matched to
/// requests by order; to keep that matching unambiguous (an Error without clientMsgId may answer a
/// Sync) only one Sync is outstanding at a time and the rest wait here. Thread-safe.
/// </summary>
internal sealed class SyncQueue
{
    private readonly Lock _lock = new();
    private readonly Queue<SyncRequest> _waiting = new();
    private SyncRequest? _outstanding;
    private bool _ended;

    /// <summary>The request whose answer is expected next, if any.</summary>
    public SyncRequest? Outstanding
    {
        get
        {
            lock (_lock)
            {
                return _outstanding;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="request"/>. Returns it when it became the outstanding one at once (the
    /// caller writes it now), null when it waits its turn or the connection has ended (then it is
    /// completed with <see cref="SyncOutcome.Ended"/>).
    /// </summary>
    public SyncRequest? Enqueue(SyncRequest request)
    {
        lock (_lock)
        {
            if (_ended)
            {
                request.Complete(SyncOutcome.Ended);
                return null;
            }

            if (_outstanding is null)
            {
                _outstanding = request;
                return request;
            }

            _waiting.Enqueue(request);
            return null;
        }
    }

    /// <summary>
    /// Completes the outstanding request with <paramref name="outcome"/> (after the caller used it) and
    /// returns the next request to write, if any.
    /// </summary>
    public SyncRequest? CompleteOutstanding(SyncRequest request, SyncOutcome outcome)
    {
        SyncRequest? next = null;
        lock (_lock)
        {
            if (!ReferenceEquals(_outstanding, request))
            {
                return null;
            }

            _outstanding = _waiting.Count > 0 ? _waiting.Dequeue() : null;
            next = _outstanding;
        }

        request.Complete(outcome);
        return next;
    }

    /// <summary>The connection ended: every request is answered with <see cref="SyncOutcome.Ended"/>.</summary>
    public void EndAll()
    {
        List<SyncRequest> all;
        lock (_lock)
        {
            _ended = true;
            all = [.. _waiting];
            _waiting.Clear();
            if (_outstanding is not null)
            {
                all.Insert(0, _outstanding);
                _outstanding = null;
            }
        }

        foreach (var request in all)
        {
            request.Complete(SyncOutcome.Ended);
        }
    }
}
