namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// One session-ticket key: a 16-byte name (sent in clear in every ticket, to find the key again),
/// a 32-byte HMAC-SHA256 key and a 32-byte AES-256-CBC key: the 80-byte layout of
/// SSL_CTX_set_tlsext_ticket_keys, so a key works with nginx/HAProxy-style tooling too.
/// </summary>
internal sealed class TicketKey
{
    public const int NameBytes = 16;
    public const int SecretBytes = 32;
    public const int TotalBytes = NameBytes + SecretBytes + SecretBytes;

    private TicketKey(byte[] name, byte[] hmacKey, byte[] aesKey)
    {
        Name = name;
        HmacKey = hmacKey;
        AesKey = aesKey;
    }

    public byte[] Name { get; }

    public byte[] HmacKey { get; }

    public byte[] AesKey { get; }

    /// <summary>From the 80 bytes of a key file line; null when the length is wrong.</summary>
    public static TicketKey? FromBytes(ReadOnlySpan<byte> material) => material.Length != TotalBytes
        ? null
        : new TicketKey(material[..NameBytes].ToArray(), material.Slice(NameBytes, SecretBytes).ToArray(), material[(NameBytes + SecretBytes)..].ToArray());

    /// <summary>A fresh random key (the per-process key when no key file is configured).</summary>
    public static TicketKey CreateRandom()
    {
        Span<byte> material = stackalloc byte[TotalBytes];
        System.Security.Cryptography.RandomNumberGenerator.Fill(material);
        return FromBytes(material)!;
    }
}
