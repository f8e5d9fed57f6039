using System.Buffers.Text;
using System.Security.Cryptography;
using Chat.Protocol.Security;

namespace Chat.Client;

/// <summary>
/// Idempotency keys for <see cref="ChatClient.SendAsync"/>. An app that keeps an outbox generates the
/// id when the user presses send, stores it with the message, and passes it on every attempt, also
/// after a restart: the shard stores a clientMsgId once, whatever happens to the connection.
/// </summary>
public static class ClientMsgIds
{
    /// <summary>Length of a generated id: 16 random bytes in base64url without padding.</summary>
    public const int GeneratedLength = 22;

    /// <summary>
    /// A new id: 128 bits from the cryptographic generator, so ids of different devices never collide
    /// in practice (a collision would make the shard take a new message for a retry of an old one).
    /// </summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>True when <paramref name="id"/> is a valid clientMsgId: 1-64 characters of [A-Za-z0-9_-].</summary>
    public static bool IsValid(string? id) => TokenIds.IsValid(id);
}
