namespace Chat.ChatService.Storage;

/// <summary>
/// Durable per-couple message log, seq counter, send dedup and read marks. The only production
/// implementation is Redis (<see cref="RedisChatStore"/>); unit tests may fake this interface.
/// </summary>
/// <remarks>
/// Expected failures (store down, timeout, bad argument) are statuses in the results, never
/// exceptions. An <see cref="AppendStatus.Unavailable"/> append has an unknown outcome: it may have
/// been stored. Retrying with the same clientMsgId is always safe: it returns the original seq.
/// The same holds for cancellation, which stops the wait, not the command already sent.
/// </remarks>
public interface IChatStore
{
    /// <summary>
    /// Appends a message unless (couple, sender, clientMsgId) was appended within the dedup TTL, in
    /// which case nothing is written and the original seq and server time come back with
    /// <see cref="AppendStatus.Duplicate"/>. Returns only after the store answered, so an
    /// <see cref="AppendStatus.Appended"/> or <see cref="AppendStatus.Duplicate"/> may be acknowledged.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(
        string coupleId,
        string clientMsgId,
        string senderUserId,
        string? senderDeviceId,
        int kind,
        ReadOnlyMemory<byte> body,
        long serverTimeMs,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Messages with seq &gt; <paramref name="afterSeq"/> in seq order, at most <paramref name="limit"/>
    /// (and at most the configured page size and byte budget); <see cref="MessagePage.More"/> says
    /// whether more follow. Messages older than the retention bound are gone: the first seq of the
    /// page may then be above afterSeq + 1.
    /// </summary>
    ValueTask<MessagePage> ReadAsync(string coupleId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest seq handed out for the couple, 0 if none.</summary>
    ValueTask<SeqResult> LatestSeqAsync(string coupleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises the user's read mark to <paramref name="seq"/> (clamped to the latest seq); never lowers
    /// it. Returns the mark now stored, which is the old one when <paramref name="seq"/> was lower.
    /// </summary>
    ValueTask<SeqResult> SetReadMarkAsync(string coupleId, string userId, long seq, CancellationToken cancellationToken = default);

    /// <summary>Every read mark of the couple, by user id.</summary>
    ValueTask<ReadMarksResult> GetReadMarksAsync(string coupleId, CancellationToken cancellationToken = default);
}
