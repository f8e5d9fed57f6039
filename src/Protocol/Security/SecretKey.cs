using System.Security.Cryptography;

namespace Chat.Protocol.Security;

/// <summary>
/// A named secret of at least 32 bytes: a token signing/verification key, or the cluster key.
/// <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class SecretKey
{
    /// <summary>Fewest secret bytes accepted: HMAC-SHA256 needs 32 bytes of entropy to be full strength.</summary>
    public const int MinLength = 32;

    /// <summary>Most secret bytes accepted (a sanity bound for key files).</summary>
    public const int MaxLength = 1024;

    private readonly byte[] _secret;

    /// <summary>Creates a key from a copy of <paramref name="secret"/>.</summary>
    /// <exception cref="ArgumentException">The id is not 1-64 chars of [A-Za-z0-9_-], or the secret is not 32-1024 bytes.</exception>
    public SecretKey(string id, ReadOnlySpan<byte> secret)
    {
        if (!TokenIds.IsValid(id))
        {
            throw new ArgumentException("a key id is 1-64 characters of [A-Za-z0-9_-]", nameof(id));
        }

        if (secret.Length is < MinLength or > MaxLength)
        {
            throw new ArgumentException($"a secret is {MinLength}-{MaxLength} bytes, this one is {secret.Length}", nameof(secret));
        }

        Id = id;
        _secret = secret.ToArray();
    }

    /// <summary>The key id: tokens name the key that signed them by it.</summary>
    public string Id { get; }

    /// <summary>The secret bytes.</summary>
    public ReadOnlyMemory<byte> Secret => _secret;

    /// <summary>A new key with 32 bytes from the system's cryptographic random generator.</summary>
    public static SecretKey Generate(string id)
    {
        Span<byte> secret = stackalloc byte[MinLength];
        RandomNumberGenerator.Fill(secret);
        var key = new SecretKey(id, secret);
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }

    public override string ToString() => $"SecretKey({Id})";
}
