namespace Chat.Client;

/// <summary>One page of stored messages, the answer to <see cref="ChatClient.SyncAsync"/>.</summary>
/// <param name="Status">Whether the page is there.</param>
/// <param name="Messages">Messages with seq above the request's afterSeq, in seq order.</param>
/// <param name="More">True when more messages follow: ask again after the last seq of this page.</param>
/// <param name="LatestSeq">The couple's highest seq when the shard answered.</param>
public sealed record SyncPage(SyncStatus Status, IReadOnlyList<ChatMessage> Messages, bool More, long LatestSeq);
