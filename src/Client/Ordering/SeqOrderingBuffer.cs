namespace Chat.Client.Ordering;

/// <summary>
/// Turns messages that arrive live, from Syncs and from the client's own Acks (in any order, with
/// duplicates) into one sequence the app sees exactly once, in seq order. <see cref="LastSeq"/> is the
/// highest seq delivered such that everything at or below it has been delivered or does not exist.
/// Not thread-safe: one connection's read loop at a time owns it.
/// </summary>
/// <remarks>
/// <code>
///   delivered ... LastSeq | gap (missing) | held (arrived early, waiting) ...
///   Offer(LastSeq+1)      -> deliver it, then every held seq that is now contiguous
///   Offer(seq > LastSeq+1) -> hold it: a gap; the caller syncs from LastSeq
///   ApplyCompletePage(A, page) -> the page holds every stored message in (A, last seq of page]:
///                            anything missing in that range does not exist, so LastSeq may jump over it
/// </code>
/// </remarks>
internal sealed class SeqOrderingBuffer
{
    private readonly SortedList<long, ChatMessage> _held = [];
    private readonly int _maxHeld;

    public SeqOrderingBuffer(long lastSeq, int maxHeld)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastSeq);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeld, 1);
        LastSeq = lastSeq;
        _maxHeld = maxHeld;
    }

    /// <summary>Highest seq delivered with nothing missing below it.</summary>
    public long LastSeq { get; private set; }

    /// <summary>True when messages wait above a missing seq.</summary>
    public bool HasGap => _held.Count > 0;

    /// <summary>How many messages wait above a gap.</summary>
    public int HeldCount => _held.Count;

    /// <summary>
    /// Moves <see cref="LastSeq"/> forward without delivering anything (start at the couple's latest seq
    /// when the app asked to skip the history). Held messages at or below it are dropped.
    /// </summary>
    public void SkipTo(long seq)
    {
        if (seq <= LastSeq)
        {
            return;
        }

        LastSeq = seq;
        while (_held.Count > 0 && _held.Keys[0] <= LastSeq)
        {
            _held.RemoveAt(0);
        }
    }

    /// <summary>Offers one message; appends what became deliverable to <paramref name="ready"/>, in order.</summary>
    public OfferOutcome Offer(ChatMessage message, List<ChatMessage> ready)
    {
        var seq = message.Seq;
        if (seq <= LastSeq || _held.ContainsKey(seq))
        {
            return OfferOutcome.Duplicate;
        }

        if (seq == LastSeq + 1)
        {
            Deliver(message, ready);
            DrainContiguous(ready);
            return OfferOutcome.Delivered;
        }

        if (_held.Count >= _maxHeld)
        {
            // Keep the lowest seqs: they are the next to deliver. The dropped one is above LastSeq, so the
            // Sync the caller runs for the gap fetches it again.
            if (seq > _held.Keys[^1])
            {
                return OfferOutcome.Dropped;
            }

            _held.RemoveAt(_held.Count - 1);
        }

        _held.Add(seq, message);
        return OfferOutcome.Held;
    }

    /// <summary>
    /// Applies a Sync answer for <c>afterSeq</c> = <paramref name="afterSeq"/>: <paramref name="page"/>
    /// holds, in ascending seq order, every stored message in (afterSeq, last seq of the page]. Seqs in
    /// that range that are neither in the page nor held do not exist (trimmed history), so they are
    /// skipped rather than waited for. A page that is not strictly ascending, or a request above
    /// <see cref="LastSeq"/>, proves nothing about missing seqs: its messages are only offered.
    /// Returns false in that case.
    /// </summary>
    public bool ApplyCompletePage(long afterSeq, IReadOnlyList<ChatMessage> page, List<ChatMessage> ready)
    {
        if (page.Count == 0)
        {
            return true;
        }

        if (afterSeq > LastSeq || !IsStrictlyAscending(afterSeq, page))
        {
            foreach (var message in page)
            {
                Offer(message, ready);
            }

            return false;
        }

        foreach (var message in page)
        {
            if (message.Seq <= LastSeq)
            {
                continue;
            }

            // A held message below this one lies inside the complete range, so the page should have
            // carried it too; it came from the server, so deliver it rather than lose it.
            DeliverHeldBelow(message.Seq, ready);
            _held.Remove(message.Seq);
            Deliver(message, ready);
        }

        DeliverHeldBelow(page[^1].Seq + 1, ready);
        DrainContiguous(ready);
        return true;
    }

    private static bool IsStrictlyAscending(long afterSeq, IReadOnlyList<ChatMessage> page)
    {
        var previous = afterSeq;
        foreach (var message in page)
        {
            if (message.Seq <= previous)
            {
                return false;
            }

            previous = message.Seq;
        }

        return true;
    }

    private void Deliver(ChatMessage message, List<ChatMessage> ready)
    {
        ready.Add(message);
        LastSeq = message.Seq;
    }

    private void DeliverHeldBelow(long bound, List<ChatMessage> ready)
    {
        while (_held.Count > 0 && _held.Keys[0] < bound)
        {
            var held = _held.Values[0];
            _held.RemoveAt(0);
            if (held.Seq > LastSeq)
            {
                Deliver(held, ready);
            }
        }
    }

    private void DrainContiguous(List<ChatMessage> ready)
    {
        while (_held.Count > 0 && _held.Keys[0] <= LastSeq + 1)
        {
            var held = _held.Values[0];
            _held.RemoveAt(0);
            if (held.Seq == LastSeq + 1)
            {
                Deliver(held, ready);
            }
        }
    }
}
