using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace Chat.Ctl;

/// <summary>
/// <c>chatctl tls-ticket-keys new|rotate</c>: the session-ticket key file every gateway reads
/// (Tls:TicketKeyFile, OpenSsl engine; format in docs/tls.md): one base64 key of 80 bytes per
/// line, the first encrypts, all decrypt. The file always ends with a "next" key that only
/// decrypts, so that after a rotation (which promotes it to first) every gateway already knows
/// the key the first gateway to reload starts encrypting with: no ticket is ever issued under a
/// key another gateway cannot read yet.
/// </summary>
internal static class TicketKeyCommands
{
    private const int KeyBytes = 80;

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Create this file (mode 0600) with a current and a next key", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var create = new Command("new", "Create a ticket key file") { output, force };
        create.SetAction(result => New(result, result.GetValue(output)!, result.GetValue(force)));

        var file = new Argument<string>("file") { Description = "The ticket key file to rotate" };
        var keep = new Option<int>("--keep") { Description = "Previous keys kept for decryption (default 2: tickets live two rotation periods)", DefaultValueFactory = _ => 2 };
        var rotate = new Command("rotate", "Promote the next key to current, keep --keep previous ones, add a fresh next key") { file, keep };
        rotate.SetAction(result => Rotate(result, result.GetValue(file)!, result.GetValue(keep)));

        return new Command("tls-ticket-keys", "TLS session-ticket keys shared by the gateways (OpenSsl engine)") { create, rotate };
    }

    private static int New(ParseResult result, string path, bool force)
    {
        if (File.Exists(path) && !force)
        {
            return Cli.Fail(result, $"{path} exists; add --force to replace it");
        }

        Save(path, [Fresh(), Fresh()]);
        Cli.Output(result).WriteLine($"wrote {path}: a current key and a next key");
        return Cli.ExitOk;
    }

    private static int Rotate(ParseResult result, string path, int keep)
    {
        if (keep is < 0 or > 13)
        {
            return Cli.Fail(result, "--keep must be within 0..13 (a file holds at most 16 keys)");
        }

        string? error = Load(path, out List<string> keys);
        if (error is not null)
        {
            return Cli.Fail(result, error);
        }

        if (keys.Count < 2)
        {
            return Cli.Fail(result, $"{path} has no next key (one key only); create it again with 'tls-ticket-keys new'");
        }

        // [current, previous..., next] -> [next, current, previous... (up to keep), fresh next]
        var rotated = new List<string> { keys[^1] };
        rotated.AddRange(keys.Take(keys.Count - 1).Take(keep));
        rotated.Add(Fresh());
        Save(path, rotated);
        Cli.Output(result).WriteLine($"wrote {path}: the next key now encrypts, {rotated.Count - 2} previous key(s) still decrypt, a new next key");
        return Cli.ExitOk;
    }

    private static string Fresh() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    private static string? Load(string path, out List<string> keys)
    {
        keys = [];
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {path}: {e.Message}";
        }

        Span<byte> material = stackalloc byte[KeyBytes + 3];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!Convert.TryFromBase64String(line, material, out int length) || length != KeyBytes)
            {
                return $"{path}: line {i + 1} is not base64 of {KeyBytes} bytes";
            }

            keys.Add(line);
        }

        return null;
    }

    /// <summary>Written next to the target with mode 0600 from the start, then renamed over it (gateways never read half a file).</summary>
    private static void Save(string path, List<string> keys)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, Encoding.ASCII, options))
        {
            writer.Write("# Chat gateway TLS ticket keys (docs/tls.md). First line encrypts, every line decrypts, the last is the next key.\n");
            writer.Write("# Secret: whoever reads this can decrypt resumed sessions. Rotate with 'chatctl tls-ticket-keys rotate'.\n");
            foreach (string key in keys)
            {
                writer.Write(key + "\n");
            }
        }

        File.Move(temp, full, overwrite: true);
    }
}
