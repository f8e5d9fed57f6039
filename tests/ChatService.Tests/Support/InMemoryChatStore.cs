using Chat.ChatService.Storage;

namespace Chat.Tests.ChatService.Support;

/// <summary>
/// <see cref="IChatStore"/> in memory for single-class unit tests of the couple session: one couple
/// log with seqs from 1, dedup by (sender, clientMsgId), read marks. With <see cref="HoldAppends"/>
/// an append takes its seq at once but answers only when the test calls <see cref="Release"/> or
/// <see cref="Fail"/>, so tests choose the order in which appends complete.
/// </summary>
internal sealed class InMemoryChatStore : IChatStore
{
    private readonly object _lock = new();
    private readonly List<StoredMessage> _log = [];
    private readonly Dictionary<(string Sender, string ClientMsgId), StoredMessage> _sent = [];
    private readonly Dictionary<long, (TaskCompletionSource<AppendResult> Pending, AppendResult Result)> _held = [];
    private readonly Dictionary<string, long> _readMarks = new(StringComparer.Ordinal);

    public bool HoldAppends { get; set; }

    public int Appends { get; private set; }

    public IReadOnlyList<StoredMessage> Log
    {
        get
        {
            lock (_lock)
            {
                return [.. _log];
            }
        }
    }

    public ValueTask<AppendResult> AppendAsync(string coupleId, string clientMsgId, string senderUserId, string? senderDeviceId, int kind, ReadOnlyMemory<byte> body, long serverTimeMs, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Appends++;
            if (_sent.TryGetValue((senderUserId, clientMsgId), out var original))
            {
                return new(new AppendResult(AppendStatus.Duplicate, original.Seq, original.ServerTimeMs));
            }

            var message = new StoredMessage(_log.Count + 1, clientMsgId, senderUserId, senderDeviceId, kind, body.ToArray(), serverTimeMs);
            _log.Add(message);
            _sent[(senderUserId, clientMsgId)] = message;
            var result = new AppendResult(AppendStatus.Appended, message.Seq, serverTimeMs);
            if (!HoldAppends)
            {
                return new(result);
            }

            var pending = new TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _held[message.Seq] = (pending, result);
            return new(pending.Task);
        }
    }

    /// <summary>Answers the held append of <paramref name="seq"/> with its success.</summary>
    public void Release(long seq) => Answer(seq, null);

    /// <summary>Answers the held append of <paramref name="seq"/> with a failure (its outcome unknown to the shard).</summary>
    public void Fail(long seq, AppendStatus status) => Answer(seq, new AppendResult(status, 0, 0));

    public ValueTask<MessagePage> ReadAsync(string coupleId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var page = _log.Where(m => m.Seq > afterSeq).Take(limit).ToList();
            var more = _log.Count(m => m.Seq > afterSeq) > page.Count;
            return new(new MessagePage(StoreStatus.Ok, page, more, _log.Count));
        }
    }

    public ValueTask<SeqResult> LatestSeqAsync(string coupleId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return new(new SeqResult(StoreStatus.Ok, _log.Count));
        }
    }

    public ValueTask<SeqResult> SetReadMarkAsync(string coupleId, string userId, long seq, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var mark = Math.Max(_readMarks.GetValueOrDefault(userId), Math.Min(seq, _log.Count));
            _readMarks[userId] = mark;
            return new(new SeqResult(StoreStatus.Ok, mark));
        }
    }

    public ValueTask<ReadMarksResult> GetReadMarksAsync(string coupleId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return new(new ReadMarksResult(StoreStatus.Ok, new Dictionary<string, long>(_readMarks)));
        }
    }

    private void Answer(long seq, AppendResult? failure)
    {
        (TaskCompletionSource<AppendResult> Pending, AppendResult Result) held;
        lock (_lock)
        {
            if (!_held.Remove(seq, out held))
            {
                throw new InvalidOperationException($"no append of seq {seq} is held");
            }
        }

        held.Pending.SetResult(failure ?? held.Result);
    }
}
