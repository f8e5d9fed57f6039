namespace Chat.ChatService.Storage;

/// <summary>Result of <see cref="IChatStore.ReadAsync"/>.</summary>
/// <param name="Status">Whether the rest is valid.</param>
/// <param name="Messages">The page, in seq order; empty unless <see cref="StoreStatus.Ok"/>.</param>
/// <param name="More">True when messages after the last one of the page exist.</param>
/// <param name="LatestSeq">The couple's latest seq, read atomically with the page.</param>
public sealed record MessagePage(StoreStatus Status, IReadOnlyList<StoredMessage> Messages, bool More, long LatestSeq)
{
    internal static MessagePage Of(StoreStatus status) => new(status, [], false, 0);
}
