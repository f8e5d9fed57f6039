namespace Chat.Client.Sending;

/// <summary>
/// Unacknowledged sends by clientMsgId, in the order they were first sent (retries after a reconnect
/// go out in that order). Thread-safe: app threads add, the read loop acknowledges, timers retry.
/// </summary>
internal sealed class PendingSendTable
{
    private readonly Lock _lock = new();
    private readonly OrderedDictionary<string, PendingSend> _pending = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="send"/>, or returns the send already pending under the same id (the app sent
    /// the same id twice at once: both callers wait for the one Ack).
    /// </summary>
    public PendingSend GetOrAdd(PendingSend send, out bool added)
    {
        lock (_lock)
        {
            added = _pending.TryAdd(send.ClientMsgId, send);
            return added ? send : _pending[send.ClientMsgId];
        }
    }

    public PendingSend? Find(string? clientMsgId)
    {
        if (clientMsgId is null)
        {
            return null;
        }

        lock (_lock)
        {
            return _pending.GetValueOrDefault(clientMsgId);
        }
    }

    /// <summary>Removes the send and completes it with <paramref name="result"/>. Returns false when it was not pending any more.</summary>
    public bool Complete(PendingSend send, SendResult result)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(send.ClientMsgId, out var current) || !ReferenceEquals(current, send))
            {
                return false;
            }

            _pending.Remove(send.ClientMsgId);
            send.RetryTimer?.Dispose();
            send.RetryTimer = null;
        }

        send.Completion.TrySetResult(result);
        return true;
    }

    /// <summary>
    /// Claims <paramref name="send"/> for writing on <paramref name="connection"/>: false when it is
    /// already written there, waits for a retry timer, or is no longer pending.
    /// </summary>
    public bool TryClaimWrite(PendingSend send, object connection)
    {
        lock (_lock)
        {
            if (!_pending.ContainsKey(send.ClientMsgId) || send.RetryTimer is not null || ReferenceEquals(send.WrittenOn, connection))
            {
                return false;
            }

            send.WrittenOn = connection;
            send.Writes++;
            return true;
        }
    }

    /// <summary>Sends to write on <paramref name="connection"/> (a new connection: everything not waiting for a retry timer), in order, claimed.</summary>
    public List<PendingSend> ClaimUnwritten(object connection)
    {
        var claimed = new List<PendingSend>();
        lock (_lock)
        {
            foreach (var send in _pending.Values)
            {
                if (send.RetryTimer is null && !ReferenceEquals(send.WrittenOn, connection))
                {
                    send.WrittenOn = connection;
                    send.Writes++;
                    claimed.Add(send);
                }
            }
        }

        return claimed;
    }

    /// <summary>
    /// ResyncHint: the sends written on <paramref name="connection"/> may have been lost with the old
    /// stream behind it. Returns them (in order, claimed again) to be written once more.
    /// </summary>
    public List<PendingSend> ClaimForRewrite(object connection)
    {
        var claimed = new List<PendingSend>();
        lock (_lock)
        {
            foreach (var send in _pending.Values)
            {
                if (send.RetryTimer is null && ReferenceEquals(send.WrittenOn, connection))
                {
                    send.Writes++;
                    claimed.Add(send);
                }
            }
        }

        return claimed;
    }

    /// <summary>Arms <paramref name="timer"/> to write <paramref name="send"/> again later. False when the send is no longer pending.</summary>
    public bool SetRetryTimer(PendingSend send, Func<ITimer> createTimer)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(send.ClientMsgId, out var current) || !ReferenceEquals(current, send))
            {
                return false;
            }

            send.RetryTimer?.Dispose();
            send.RetryTimer = createTimer();
            send.WrittenOn = null;
            return true;
        }
    }

    /// <summary>The retry timer fired: the send may be written again.</summary>
    public void ClearRetryTimer(PendingSend send)
    {
        lock (_lock)
        {
            send.RetryTimer?.Dispose();
            send.RetryTimer = null;
        }
    }

    /// <summary>Completes every pending send with <paramref name="result"/> (the client is closing).</summary>
    public void CompleteAll(Func<PendingSend, SendResult> result)
    {
        List<PendingSend> all;
        lock (_lock)
        {
            all = [.. _pending.Values];
            _pending.Clear();
            foreach (var send in all)
            {
                send.RetryTimer?.Dispose();
                send.RetryTimer = null;
            }
        }

        foreach (var send in all)
        {
            send.Completion.TrySetResult(result(send));
        }
    }
}
