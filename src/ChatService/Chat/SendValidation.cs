using Chat.ChatService.Storage;
using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>What a Send must satisfy before it reaches the store.</summary>
internal static class SendValidation
{
    /// <summary>Null when valid, else why not (sent back in Error{BadRequest}).</summary>
    public static string? Check(Send send, int maxBodyBytes)
    {
        if (send.ClientMsgId is null || send.ClientMsgId.Length is 0 or > CoupleSession.MaxClientMsgIdLength || !RedisKeys.IsValidId(send.ClientMsgId))
        {
            return $"clientMsgId must be 1-{CoupleSession.MaxClientMsgIdLength} printable ASCII characters without '{{', '}}' or ':'";
        }

        if (send.Kind is < MessageKind.Text or > MessageKind.File)
        {
            return $"unknown message kind {(int)send.Kind}";
        }

        if (send.Body is null)
        {
            return "the message has no body";
        }

        if (send.Body.Length > maxBodyBytes)
        {
            return $"the body is {send.Body.Length} bytes, more than {maxBodyBytes}";
        }

        return null;
    }
}
