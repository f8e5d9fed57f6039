using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Chat.Protocol.Security;

/// <summary>
/// The v1 token layout, shared by signer and verifier:
/// <c>v1.&lt;keyId&gt;.&lt;userId&gt;.&lt;coupleId&gt;.&lt;expiresUnix&gt;.&lt;sig&gt;</c>, where sig is the
/// unpadded base64url of HMAC-SHA256(key, ASCII of everything before the last '.').
/// </summary>
internal static class TokenFormat
{
    public const string Version = "v1";
    public const int SignatureBytes = 32;

    /// <summary>Unpadded base64url of 32 bytes.</summary>
    public const int SignatureChars = 43;

    /// <summary>Decimal digits of the largest expiry accepted (year 9999).</summary>
    public const int MaxExpiryDigits = 12;

    /// <summary>Longest valid token: "v1" + 3 ids + expiry + signature + 5 dots (= 254).</summary>
    public const int MaxLength = 2 + (3 * TokenIds.MaxLength) + MaxExpiryDigits + SignatureChars + 5;

    /// <summary>Latest expiry DateTimeOffset can represent (9999-12-31T23:59:59Z).</summary>
    public const long MaxExpiresUnix = 253402300799;

    /// <summary>Writes the base64url signature of <paramref name="signed"/> (ASCII) into <paramref name="destination"/> (43 chars).</summary>
    public static void Sign(ReadOnlySpan<byte> key, ReadOnlySpan<char> signed, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[MaxLength];
        var length = Encoding.ASCII.GetBytes(signed, ascii);
        Span<byte> mac = stackalloc byte[SignatureBytes];
        HMACSHA256.HashData(key, ascii[..length], mac);
        var written = Base64Url.EncodeToChars(mac, destination);
        System.Diagnostics.Debug.Assert(written == SignatureChars, "32 bytes are 43 base64url chars");
    }
}
