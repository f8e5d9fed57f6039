namespace Chat.Protocol.Security;

/// <summary>
/// An immutable set of keys: the first signs, all verify (rotation: put the new key first, keep
/// the old ones until every token they signed has expired). Loaded from a key file by <see cref="KeyFile"/>.
/// </summary>
public sealed class KeyRing
{
    private readonly SecretKey[] _keys;

    /// <summary>Creates a ring; the first key is the signing key.</summary>
    /// <exception cref="ArgumentException">No keys, or two keys with the same id.</exception>
    public KeyRing(IEnumerable<SecretKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("a key ring needs at least one key", nameof(keys));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (!ids.Add(key.Id))
            {
                throw new ArgumentException($"key id '{key.Id}' appears twice", nameof(keys));
            }
        }
    }

    /// <summary>Every key, signing key first.</summary>
    public IReadOnlyList<SecretKey> Keys => _keys;

    /// <summary>The key new tokens (or cluster handshakes) are signed with: the first one.</summary>
    public SecretKey SigningKey => _keys[0];

    /// <summary>Finds a verification key by id (ordinal). Rings hold a handful of keys, so this scans.</summary>
    public bool TryGetKey(ReadOnlySpan<char> keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SecretKey? key)
    {
        foreach (var candidate in _keys)
        {
            if (keyId.SequenceEqual(candidate.Id))
            {
                key = candidate;
                return true;
            }
        }

        key = null;
        return false;
    }

    /// <summary>A new ring with <paramref name="key"/> as the signing key, followed by the current keys.</summary>
    /// <exception cref="ArgumentException">The ring already has a key with that id.</exception>
    public KeyRing Prepend(SecretKey key) => new([key, .. _keys]);
}
