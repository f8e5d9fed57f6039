namespace Chat.Client;

/// <summary>The outcome of <see cref="ChatClient.SendAsync"/>.</summary>
/// <param name="Status">How the send ended.</param>
/// <param name="ClientMsgId">The idempotency key used on every attempt (generated or given).</param>
/// <param name="Seq">The stored message's seq when <see cref="SendStatus.Sent"/>, else 0.</param>
/// <param name="ServerTime">When the shard stored it (server clock) when <see cref="SendStatus.Sent"/>, else default.</param>
/// <param name="Attempts">How many times the Send packet was written (1 when nothing went wrong).</param>
/// <param name="Detail">The server's text for <see cref="SendStatus.Rejected"/> and the last error otherwise; for logs only.</param>
public readonly record struct SendResult(SendStatus Status, string ClientMsgId, long Seq, DateTimeOffset ServerTime, int Attempts, string? Detail)
{
    /// <summary>True when the message is stored.</summary>
    public bool IsSent => Status == SendStatus.Sent;
}
