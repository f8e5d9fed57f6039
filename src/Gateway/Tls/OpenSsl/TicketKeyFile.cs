using System.Security.Cryptography;
using System.Text;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// Reads the session-ticket key file shared by the gateways (format in
/// <see cref="TlsOptions.TicketKeyFile"/>): text, one base64 key of 80 bytes per line, first line
/// encrypts. Every expected failure is a result.
/// </summary>
internal static class TicketKeyFile
{
    /// <summary>16 keys of ~110 characters fit in 2 KB; anything far larger is not a key file.</summary>
    private const long MaxFileBytes = 64 * 1024;

    public static TicketKeyFileLoadResult Load(string path)
    {
        string text;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return new(null, $"file '{path}' does not exist", null);
            }

            if (file.Length > MaxFileBytes)
            {
                return new(null, $"file '{path}' is {file.Length} bytes, more than a key file may have ({MaxFileBytes})", null);
            }

            text = File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, $"cannot read '{path}': {e.Message}", null);
        }

        string hash = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(text)));
        TicketKey[]? keys = Parse(text, out string? error);
        return new(keys, keys is null ? $"'{path}': {error}" : null, hash);
    }

    /// <summary>Parses the file's text; null and an error naming the line when it is not a valid key file.</summary>
    public static TicketKey[]? Parse(string text, out string? error)
    {
        var keys = new List<TicketKey>();
        string[] lines = text.Split('\n');
        Span<byte> material = stackalloc byte[TicketKey.TotalBytes + 3];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!Convert.TryFromBase64String(line, material, out int length) || length != TicketKey.TotalBytes)
            {
                error = $"line {i + 1} is not base64 of {TicketKey.TotalBytes} bytes";
                return null;
            }

            TicketKey key = TicketKey.FromBytes(material[..length])!;
            material.Clear();
            if (keys.Exists(k => k.Name.AsSpan().SequenceEqual(key.Name)))
            {
                error = $"line {i + 1} repeats the name of an earlier key";
                return null;
            }

            keys.Add(key);
            if (keys.Count > TlsOptions.MaxTicketKeys)
            {
                error = $"more than {TlsOptions.MaxTicketKeys} keys";
                return null;
            }
        }

        if (keys.Count == 0)
        {
            error = "no key in the file";
            return null;
        }

        error = null;
        return [.. keys];
    }
}
