using System.Text;
using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>
/// A stored message of the couple, as the app sees it: live, from a Sync, or the app's own message
/// once the shard acknowledged it. <see cref="ChatClient.MessageReceived"/> hands each seq to the
/// app exactly once, in seq order.
/// </summary>
public sealed class ChatMessage
{
    /// <summary>The couple's sequence number: 1, 2, 3 ... assigned by the shard.</summary>
    public required long Seq { get; init; }

    /// <summary>The user who sent it; equal to <see cref="ChatClient.UserId"/> for the app's own messages.</summary>
    public required string SenderId { get; init; }

    /// <summary>How to read <see cref="Body"/> (chat.thrift fixes each kind's encoding).</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>The content, encoded as <see cref="Kind"/> says.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>When the shard stored it (server clock).</summary>
    public required DateTimeOffset ServerTime { get; init; }

    /// <summary>The sender's idempotency key; lets a sender's devices recognise their own messages.</summary>
    public required string ClientMsgId { get; init; }

    /// <summary>The body as UTF-8 text (every kind's body is UTF-8: text, JSON or a sticker id).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    internal static ChatMessage From(Message message) => new()
    {
        Seq = message.Seq,
        SenderId = message.SenderId ?? string.Empty,
        Kind = message.Kind,
        Body = message.Body ?? [],
        ServerTime = DateTimeOffset.FromUnixTimeMilliseconds(ClampUnixMs(message.ServerTime)),
        ClientMsgId = message.ClientMsgId ?? string.Empty,
    };

    // A hostile or buggy server time must not make the client throw (DateTimeOffset's range is years 1-9999).
    internal static long ClampUnixMs(long unixMs) => Math.Clamp(unixMs, 0, 253402300799999);
}
