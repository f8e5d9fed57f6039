using Chat.Protocol.Packets;

namespace Chat.Client.Syncing;

/// <summary>The answer to one Sync request.</summary>
internal sealed record SyncOutcome(SyncOutcomeStatus Status, IReadOnlyList<ChatMessage> Messages, bool More, long LatestSeq, ErrorCode Error, TimeSpan RetryAfter)
{
    public static SyncOutcome Ended { get; } = new(SyncOutcomeStatus.ConnectionEnded, [], false, 0, 0, TimeSpan.Zero);

    public static SyncOutcome Failure(ErrorCode error, TimeSpan retryAfter) => new(SyncOutcomeStatus.Failed, [], false, 0, error, retryAfter);
}
