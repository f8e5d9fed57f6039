using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>Metric tag values for error codes, without an allocation per error.</summary>
internal static class ErrorNames
{
    public static string Of(ErrorCode code) => code switch
    {
        ErrorCode.ProtocolError => "protocol-error",
        ErrorCode.FrameTooLarge => "frame-too-large",
        ErrorCode.BadCompression => "bad-compression",
        ErrorCode.AuthRequired => "auth-required",
        ErrorCode.AuthFailed => "auth-failed",
        ErrorCode.TokenExpired => "token-expired",
        ErrorCode.AlreadyAuthenticated => "already-authenticated",
        ErrorCode.NotOwner => "not-owner",
        ErrorCode.RateLimited => "rate-limited",
        ErrorCode.Unavailable => "unavailable",
        ErrorCode.BadRequest => "bad-request",
        ErrorCode.ShuttingDown => "shutting-down",
        _ => "internal",
    };
}
