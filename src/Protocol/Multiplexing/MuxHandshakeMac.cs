using System.Security.Cryptography;
using System.Text;

namespace Chat.Protocol.Multiplexing;

/// <summary>
/// The MACs of the mux handshake (challenge-response, HMAC-SHA256 with a cluster key). Both sides
/// mix both nonces, so neither a recorded Hello nor a recorded HelloOk can be replayed on another
/// connection, and the two labels keep a Hello MAC from ever passing as a HelloOk MAC.
/// </summary>
/// <remarks>
/// <code>
///   gateway                                   shard
///      |  &lt;---- Challenge{version, shardId, sN} |
///      |  Hello{version, gwId, keyId, gN,         |
///      |        mac = H(k, "chat-mux-hello"|sN|gN|gwId)} --->  verify (constant time)
///      |  &lt;---- HelloOk{shardId,                 |
///      |        mac = H(k, "chat-mux-ok"|gN|sN|shardId), settings}
///   verify                                        |
/// </code>
/// </remarks>
public static class MuxHandshakeMac
{
    private static ReadOnlySpan<byte> HelloLabel => "chat-mux-hello"u8;

    private static ReadOnlySpan<byte> HelloOkLabel => "chat-mux-ok"u8;

    /// <summary>MAC the gateway sends in Hello.</summary>
    public static byte[] ComputeHello(ReadOnlySpan<byte> key, ReadOnlySpan<byte> serverNonce, ReadOnlySpan<byte> clientNonce, string gatewayId) =>
        Compute(key, HelloLabel, serverNonce, clientNonce, gatewayId);

    /// <summary>MAC the shard sends in HelloOk.</summary>
    public static byte[] ComputeHelloOk(ReadOnlySpan<byte> key, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> serverNonce, string shardId) =>
        Compute(key, HelloOkLabel, clientNonce, serverNonce, shardId);

    /// <summary>Checks a Hello MAC in constant time.</summary>
    public static bool VerifyHello(ReadOnlySpan<byte> key, ReadOnlySpan<byte> serverNonce, ReadOnlySpan<byte> clientNonce, string gatewayId, ReadOnlySpan<byte> mac) =>
        CryptographicOperations.FixedTimeEquals(ComputeHello(key, serverNonce, clientNonce, gatewayId), mac);

    /// <summary>Checks a HelloOk MAC in constant time.</summary>
    public static bool VerifyHelloOk(ReadOnlySpan<byte> key, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> serverNonce, string shardId, ReadOnlySpan<byte> mac) =>
        CryptographicOperations.FixedTimeEquals(ComputeHelloOk(key, clientNonce, serverNonce, shardId), mac);

    /// <summary>A fresh random nonce.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(MuxProtocol.NonceSize);

    private static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, string id)
    {
        var idBytes = Encoding.UTF8.GetBytes(id);
        var message = new byte[label.Length + first.Length + second.Length + idBytes.Length];
        var span = message.AsSpan();
        label.CopyTo(span);
        span = span[label.Length..];
        first.CopyTo(span);
        span = span[first.Length..];
        second.CopyTo(span);
        span = span[second.Length..];
        idBytes.CopyTo(span);
        return HMACSHA256.HashData(key, message);
    }
}
