namespace Chat.Protocol.Security;

/// <summary>What a verified token says: who, which couple, until when, signed by which key.</summary>
public sealed record TokenClaims(string KeyId, string UserId, string CoupleId, DateTimeOffset ExpiresAt);
