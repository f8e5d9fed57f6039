using System.Globalization;

namespace Chat.Protocol.Security;

/// <summary>Issues v1 tokens signed with the signing key of a <see cref="KeyRing"/> (dev tokens, tests, chatctl).</summary>
public sealed class TokenSigner
{
    private readonly KeyRing _keys;
    private readonly TimeProvider _time;

    public TokenSigner(KeyRing keys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A token for <paramref name="userId"/> in <paramref name="coupleId"/> valid for <paramref name="ttl"/> from now.</summary>
    /// <exception cref="ArgumentException">An id is not 1-64 chars of [A-Za-z0-9_-], or the ttl is not positive.</exception>
    public string Issue(string userId, string coupleId, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException("the ttl must be positive", nameof(ttl));
        }

        return Issue(userId, coupleId, _time.GetUtcNow() + ttl);
    }

    /// <summary>A token for <paramref name="userId"/> in <paramref name="coupleId"/> that expires at <paramref name="expiresAt"/> (whole seconds, rounded down).</summary>
    /// <exception cref="ArgumentException">An id is not 1-64 chars of [A-Za-z0-9_-], or the expiry is before 1970.</exception>
    public string Issue(string userId, string coupleId, DateTimeOffset expiresAt)
    {
        if (!TokenIds.IsValid(userId))
        {
            throw new ArgumentException("a user id is 1-64 characters of [A-Za-z0-9_-]", nameof(userId));
        }

        if (!TokenIds.IsValid(coupleId))
        {
            throw new ArgumentException("a couple id is 1-64 characters of [A-Za-z0-9_-]", nameof(coupleId));
        }

        var expires = expiresAt.ToUnixTimeSeconds();
        if (expires < 0)
        {
            throw new ArgumentException("the expiry must not be before 1970", nameof(expiresAt));
        }

        var key = _keys.SigningKey;
        var signed = string.Create(CultureInfo.InvariantCulture, $"{TokenFormat.Version}.{key.Id}.{userId}.{coupleId}.{expires}");
        Span<char> signature = stackalloc char[TokenFormat.SignatureChars];
        TokenFormat.Sign(key.Secret.Span, signed, signature);
        return string.Concat(signed, ".", signature);
    }
}
