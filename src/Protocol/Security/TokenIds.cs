namespace Chat.Protocol.Security;

/// <summary>The id syntax shared by tokens and key files: userId, coupleId, deviceId, keyId.</summary>
public static class TokenIds
{
    /// <summary>Longest id, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="id"/> is 1-64 characters of [A-Za-z0-9_-].</summary>
    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc cref="IsValid(ReadOnlySpan{char})"/>
    public static bool IsValid(string? id) => id is not null && IsValid(id.AsSpan());
}
