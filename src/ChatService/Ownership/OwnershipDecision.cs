namespace Chat.ChatService.Ownership;

/// <summary>Whether this shard owns a couple at a ring epoch, and who does.</summary>
/// <param name="Owned">True when this shard is the couple's owner in the ring at <paramref name="Epoch"/>.</param>
/// <param name="Epoch">The ring epoch the decision was made at (-1: no ring yet).</param>
/// <param name="Owner">The owner's shard id, null when the ring is empty.</param>
internal readonly record struct OwnershipDecision(bool Owned, long Epoch, string? Owner);
