namespace Chat.ChatService.Chat;

/// <summary>What a gateway said when it opened a mux stream: the couple it routed, at which ring epoch, and whether the stream moved here.</summary>
internal sealed record StreamRoute(string CoupleId, long RingEpoch, bool Migrated);
