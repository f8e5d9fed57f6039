namespace Chat.ChatService.Chat;

/// <summary>A connection whose token was verified asks to join its couple's session.</summary>
/// <param name="UserId">From the token.</param>
/// <param name="DeviceId">From Auth.</param>
/// <param name="Connection">Where to send the device's packets.</param>
/// <param name="Migrated">A stream re-opened here after a ring change: send ResyncHint after AuthOk.</param>
/// <param name="Observer">Told the outcome (on the couple's loop).</param>
internal sealed record AttachRequest(string UserId, string DeviceId, IClientConnection Connection, bool Migrated, IAttachObserver Observer);
