namespace Chat.ChatService.Storage;

/// <summary>One message as stored: the seq is the couple's, the rest is what the sender sent plus the server time.</summary>
/// <param name="Seq">Position in the couple's log, from 1, gapless as handed out.</param>
/// <param name="ClientMsgId">The sender's idempotency key.</param>
/// <param name="SenderUserId">Who sent it.</param>
/// <param name="SenderDeviceId">The sending device, when known (so delivery can skip it).</param>
/// <param name="Kind">Message kind as the protocol defines it; the store does not interpret it.</param>
/// <param name="Body">Opaque body bytes.</param>
/// <param name="ServerTimeMs">Server time of the send, Unix milliseconds.</param>
public sealed record StoredMessage(
    long Seq,
    string ClientMsgId,
    string SenderUserId,
    string? SenderDeviceId,
    int Kind,
    ReadOnlyMemory<byte> Body,
    long ServerTimeMs);
