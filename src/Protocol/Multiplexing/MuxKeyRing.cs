namespace Chat.Protocol.Multiplexing;

/// <summary>
/// The cluster keys that authenticate mux connections, by key id, and the id this process signs
/// with. Keys rotate by id: add the new key everywhere, switch the signing id, then drop the old key.
/// Loading key files is up to the caller.
/// </summary>
public sealed class MuxKeyRing
{
    /// <summary>Shortest key accepted, in bytes (HMAC-SHA256 wants at least its output size).</summary>
    public const int MinKeyLength = 32;

    private readonly Dictionary<string, byte[]> _keys;

    /// <summary>Creates a key ring; the signing key id must be one of the keys.</summary>
    /// <exception cref="ArgumentException">No keys, a short key, an empty id, or an unknown signing key id.</exception>
    public MuxKeyRing(string signingKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            if (id is not { Length: > 0 and <= MuxBodyRules.MaxIdLength })
            {
                throw new ArgumentException($"mux key id '{id}' must be 1..{MuxBodyRules.MaxIdLength} characters", nameof(keys));
            }

            if (key is null || key.Length < MinKeyLength)
            {
                throw new ArgumentException($"mux key '{id}' must be at least {MinKeyLength} bytes", nameof(keys));
            }

            _keys[id] = key.ToArray();
        }

        if (!_keys.ContainsKey(signingKeyId))
        {
            throw new ArgumentException($"signing key id '{signingKeyId}' is not among the mux keys", nameof(signingKeyId));
        }

        SigningKeyId = signingKeyId;
    }

    /// <summary>The key id this process signs its Hello with.</summary>
    public string SigningKeyId { get; }

    /// <summary>The signing key.</summary>
    public ReadOnlySpan<byte> SigningKey => _keys[SigningKeyId];

    /// <summary>Looks a key up by id.</summary>
    public bool TryGetKey(string keyId, out ReadOnlySpan<byte> key)
    {
        if (_keys.TryGetValue(keyId, out var bytes))
        {
            key = bytes;
            return true;
        }

        key = default;
        return false;
    }
}
