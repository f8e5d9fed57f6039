namespace Chat.ChatService.Chat;

/// <summary>
/// Puts a couple's stored messages back in seq order for live delivery. Appends finish out of
/// order (concurrent sends of several devices; replies hop threads), so each message waits until
/// every lower seq has been delivered. A seq that never shows up (a send whose outcome was unknown,
/// a send stored by another shard during a handoff) is skipped by <see cref="SkipGap"/> after a
/// short wait: devices see the gap and Sync. Couple loop only.
/// </summary>
internal sealed class DeliveryOrder
{
    private readonly SortedDictionary<long, PendingDelivery> _waiting = [];
    private long _next;

    /// <summary>The next seq to deliver; 0 until the couple's latest seq is known.</summary>
    public long Next => _next;

    /// <summary>True when messages wait behind a missing seq.</summary>
    public bool HasGap => _waiting.Count > 0;

    /// <summary>Messages waiting behind a gap.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>
    /// Learns the couple's latest stored seq (at every Auth). With nothing waiting, delivery moves on
    /// to latest + 1: seqs up to it were stored elsewhere or earlier, and devices Sync them.
    /// </summary>
    public void Observe(long latestSeq)
    {
        if (_waiting.Count == 0 && latestSeq + 1 > _next)
        {
            _next = latestSeq + 1;
        }
    }

    /// <summary>Adds a stored message; appends to <paramref name="ready"/> what can go out now, in order.</summary>
    public void Add(long seq, PendingDelivery delivery, List<PendingDelivery> ready)
    {
        if (_next == 0)
        {
            _next = seq;
        }

        if (seq < _next)
        {
            // Behind the cursor (its gap was skipped, or Observe moved past it): late, but better
            // delivered than lost; the device orders by seq.
            ready.Add(delivery);
            return;
        }

        if (seq > _next)
        {
            _waiting[seq] = delivery;
            return;
        }

        ready.Add(delivery);
        _next++;
        Drain(ready);
    }

    /// <summary>Gives up on the missing seqs: moves to the lowest waiting one and releases what follows.</summary>
    public void SkipGap(List<PendingDelivery> ready)
    {
        if (_waiting.Count == 0)
        {
            return;
        }

        using var first = _waiting.GetEnumerator();
        first.MoveNext();
        _next = first.Current.Key;
        Drain(ready);
    }

    /// <summary>Forgets waiting messages (the couple leaves this shard).</summary>
    public void Clear() => _waiting.Clear();

    private void Drain(List<PendingDelivery> ready)
    {
        while (_waiting.Remove(_next, out var next))
        {
            ready.Add(next);
            _next++;
        }
    }
}
