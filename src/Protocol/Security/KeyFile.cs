using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Chat.Protocol.Security;

/// <summary>
/// Key files: UTF-8 text, one key per line as <c>&lt;keyId&gt; &lt;base64url secret&gt;</c>; blank lines
/// and lines starting with '#' are ignored. The first key signs, every key verifies. Used for token
/// keys and for the cluster key. Written with mode 0600.
/// </summary>
public static class KeyFile
{
    /// <summary>Largest key file read (a sanity bound: a file holds a handful of ~50-byte lines).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Parses key file text. On failure, <paramref name="error"/> names the first bad line.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out KeyRing? keys, [NotNullWhen(false)] out KeyFileError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        keys = null;
        var parsed = new List<SecretKey>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (!TryParseLine(line, lineNumber, out var key, out error))
            {
                return false;
            }

            if (!ids.Add(key.Id))
            {
                error = new KeyFileError(KeyFileErrorKind.DuplicateKeyId, lineNumber, $"key id '{key.Id}' appears twice");
                return false;
            }

            parsed.Add(key);
        }

        if (parsed.Count == 0)
        {
            error = new KeyFileError(KeyFileErrorKind.NoKeys, 0, "the key file holds no key");
            return false;
        }

        keys = new KeyRing(parsed);
        error = null;
        return true;
    }

    /// <summary>Reads and parses a key file; I/O failures are <see cref="KeyFileErrorKind.Unreadable"/>.</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out KeyRing? keys, [NotNullWhen(false)] out KeyFileError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        keys = null;
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                error = new KeyFileError(KeyFileErrorKind.Unreadable, 0, $"{path}: larger than {MaxFileBytes} bytes, not a key file");
                return false;
            }

            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = new KeyFileError(KeyFileErrorKind.Unreadable, 0, $"{path}: {ex.Message}");
            return false;
        }

        if (TryParse(text, out keys, out var parseError))
        {
            error = null;
            return true;
        }

        error = parseError with { Message = $"{path}: {parseError.Message}" };
        return false;
    }

    /// <summary>The text of a key file holding <paramref name="keys"/>, with a comment header.</summary>
    public static string Format(KeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var text = new StringBuilder();
        text.Append("# Chat key file: one key per line, \"<keyId> <base64url secret>\".\n");
        text.Append("# The first key signs; every key verifies. Keep this file secret (mode 0600).\n");
        foreach (var key in keys.Keys)
        {
            text.Append(key.Id).Append(' ').Append(Base64Url.EncodeToString(key.Secret.Span)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes <paramref name="keys"/> to <paramref name="path"/> with mode 0600, atomically (a
    /// temporary file in the same folder, then a rename). Returns null on success.
    /// </summary>
    public static KeyFileError? Save(string path, KeyRing keys, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        var content = Encoding.UTF8.GetBytes(Format(keys));
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            return new KeyFileError(KeyFileErrorKind.AlreadyExists, 0, $"{path} exists (overwrite not requested)");
        }

        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created 0600 from the start: the secret is never readable by others, not even briefly.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return !overwrite && File.Exists(full)
                ? new KeyFileError(KeyFileErrorKind.AlreadyExists, 0, $"{path} exists (overwrite not requested)")
                : new KeyFileError(KeyFileErrorKind.Unwritable, 0, $"{path}: {ex.Message}");
        }
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, int lineNumber, [NotNullWhen(true)] out SecretKey? key, [NotNullWhen(false)] out KeyFileError? error)
    {
        key = null;
        var split = line.IndexOfAny(' ', '\t');
        if (split < 0)
        {
            error = new KeyFileError(KeyFileErrorKind.BadLine, lineNumber, "expected \"<keyId> <base64url secret>\"");
            return false;
        }

        var id = line[..split];
        var secretText = line[(split + 1)..].Trim();
        if (secretText.IndexOfAny(' ', '\t') >= 0)
        {
            error = new KeyFileError(KeyFileErrorKind.BadLine, lineNumber, "expected two fields: \"<keyId> <base64url secret>\"");
            return false;
        }

        if (!TokenIds.IsValid(id))
        {
            error = new KeyFileError(KeyFileErrorKind.BadKeyId, lineNumber, "the key id must be 1-64 characters of [A-Za-z0-9_-]");
            return false;
        }

        if (!Base64Url.IsValid(secretText, out var decodedLength))
        {
            error = new KeyFileError(KeyFileErrorKind.BadSecret, lineNumber, "the secret is not base64url");
            return false;
        }

        if (decodedLength is < SecretKey.MinLength or > SecretKey.MaxLength)
        {
            error = new KeyFileError(KeyFileErrorKind.BadSecretLength, lineNumber, $"the secret must be {SecretKey.MinLength}-{SecretKey.MaxLength} bytes, it is {decodedLength}");
            return false;
        }

        var secret = Base64Url.DecodeFromChars(secretText);
        key = new SecretKey(id.ToString(), secret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        error = null;
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file holds the secret but is mode 0600, like the real file.
        }
    }
}
