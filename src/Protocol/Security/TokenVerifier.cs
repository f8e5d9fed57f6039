using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Chat.Protocol.Security;

/// <summary>
/// Verifies v1 tokens against every key of a <see cref="KeyRing"/>: shape, key id, HMAC-SHA256
/// signature (constant-time comparison), then expiry with a clock-skew allowance. Never throws on a
/// token; thread-safe. Gateways verify before routing, shards verify again.
/// </summary>
public sealed class TokenVerifier
{
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _time;
    private KeyRing _keys;

    /// <exception cref="ArgumentException">The options are invalid (<see cref="TokenOptions.Validate"/>).</exception>
    public TokenVerifier(KeyRing keys, TokenOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        options ??= new TokenOptions();
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _keys = keys;
        _clockSkew = options.ClockSkew;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The keys tokens are checked against; replace it to apply a reloaded key file (readers see the old or the new ring, never a mix).</summary>
    public KeyRing Keys
    {
        get => Volatile.Read(ref _keys);
        set => Volatile.Write(ref _keys, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Checks <paramref name="token"/>; on success the result carries its claims.</summary>
    public TokenVerification Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > TokenFormat.MaxLength)
        {
            return TokenVerification.Fail(TokenFailure.Malformed);
        }

        ReadOnlySpan<char> text = token;
        // One slot more than a v1 token has parts: a 7th part means too many dots.
        Span<Range> parts = stackalloc Range[7];
        var count = text.Split(parts, '.');
        var version = text[parts[0]];
        if (!version.SequenceEqual(TokenFormat.Version))
        {
            return TokenVerification.Fail(count > 1 && IsVersionTag(version) ? TokenFailure.UnsupportedVersion : TokenFailure.Malformed);
        }

        if (count != 6)
        {
            return TokenVerification.Fail(TokenFailure.Malformed);
        }

        var keyId = text[parts[1]];
        var userId = text[parts[2]];
        var coupleId = text[parts[3]];
        var expiresText = text[parts[4]];
        var signature = text[parts[5]];
        if (!TokenIds.IsValid(keyId) || !TokenIds.IsValid(userId) || !TokenIds.IsValid(coupleId)
            || !TryParseExpiry(expiresText, out var expiresUnix)
            || signature.Length != TokenFormat.SignatureChars || !IsBase64UrlText(signature))
        {
            return TokenVerification.Fail(TokenFailure.Malformed);
        }

        if (!Keys.TryGetKey(keyId, out var key))
        {
            return TokenVerification.Fail(TokenFailure.UnknownKey);
        }

        Span<char> expected = stackalloc char[TokenFormat.SignatureChars];
        TokenFormat.Sign(key.Secret.Span, text[..(parts[5].Start.Value - 1)], expected);
        // Comparing the canonical text (not decoded bytes) also refuses re-encodings of the same signature.
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(signature)))
        {
            return TokenVerification.Fail(TokenFailure.BadSignature);
        }

        // In Unix milliseconds: expiry + skew can pass DateTimeOffset.MaxValue (year 9999), a long cannot overflow here.
        if (_time.GetUtcNow().ToUnixTimeMilliseconds() > (expiresUnix * 1000) + (long)_clockSkew.TotalMilliseconds)
        {
            return TokenVerification.Fail(TokenFailure.Expired);
        }

        var claims = new TokenClaims(key.Id, userId.ToString(), coupleId.ToString(), DateTimeOffset.FromUnixTimeSeconds(expiresUnix));
        return new TokenVerification(TokenFailure.None, claims);
    }

    // "v" followed by 1-9 digits: a token format we do not know yet, not garbage.
    private static bool IsVersionTag(ReadOnlySpan<char> version) =>
        version.Length is >= 2 and <= 10 && version[0] == 'v' && !version[1..].ContainsAnyExceptInRange('0', '9');

    private static bool TryParseExpiry(ReadOnlySpan<char> text, out long expiresUnix)
    {
        expiresUnix = 0;
        return text.Length is >= 1 and <= TokenFormat.MaxExpiryDigits
            && !text.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out expiresUnix)
            && expiresUnix <= TokenFormat.MaxExpiresUnix;
    }

    // The base64url alphabet is exactly the id alphabet: [A-Za-z0-9_-].
    private static bool IsBase64UrlText(ReadOnlySpan<char> text) => TokenIds.IsValid(text);
}
