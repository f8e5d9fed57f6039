using System.CommandLine;
using Chat.Protocol.Security;

namespace Chat.Ctl;

/// <summary>
/// <c>chatctl key new</c>: creates a key file with one fresh 32-byte key (<c>--out</c>), or puts a new
/// signing key in front of an existing file's keys (<c>--rotate</c>), which keep verifying.
/// </summary>
internal static class KeyCommands
{
    private const string DefaultKeyId = "k1";

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Create this key file (mode 0600)" };
        var rotate = new Option<string>("--rotate") { Description = "Add a new signing key in front of this key file's keys" };
        var id = new Option<string>("--id") { Description = $"Key id: 1-64 characters of [A-Za-z0-9_-] (default {DefaultKeyId} with --out; required with --rotate)" };
        var force = new Option<bool>("--force") { Description = "With --out: replace an existing file" };

        var create = new Command("new", "Create a key file, or rotate one") { output, rotate, id, force };
        create.SetAction(result => New(result, result.GetValue(output), result.GetValue(rotate), result.GetValue(id), result.GetValue(force)));

        return new Command("key", "Key files (token keys, cluster key)") { create };
    }

    private static int New(ParseResult result, string? output, string? rotate, string? id, bool force)
    {
        if ((output is null) == (rotate is null))
        {
            return Cli.Fail(result, "give exactly one of --out <file> or --rotate <file>");
        }

        if (id is not null && !TokenIds.IsValid(id))
        {
            return Cli.Fail(result, $"--id '{id}' must be 1-64 characters of [A-Za-z0-9_-]");
        }

        return output is not null
            ? CreateFile(result, output, id ?? DefaultKeyId, force)
            : RotateFile(result, rotate!, id, force);
    }

    private static int CreateFile(ParseResult result, string path, string id, bool force)
    {
        var keys = new KeyRing([SecretKey.Generate(id)]);
        if (KeyFile.Save(path, keys, overwrite: force) is { } error)
        {
            return Cli.Fail(result, error.Kind == KeyFileErrorKind.AlreadyExists ? $"{path} exists; add --force to replace it" : error.ToString());
        }

        Cli.Output(result).WriteLine($"wrote {path}: key {id} (signing)");
        return Cli.ExitOk;
    }

    private static int RotateFile(ParseResult result, string path, string? id, bool force)
    {
        if (force)
        {
            return Cli.Fail(result, "--force only applies to --out");
        }

        if (id is null)
        {
            return Cli.Fail(result, "--rotate needs --id <new key id>");
        }

        if (!KeyFile.TryLoad(path, out var keys, out var loadError))
        {
            return Cli.Fail(result, loadError.ToString());
        }

        if (keys.TryGetKey(id, out _))
        {
            return Cli.Fail(result, $"{path} already has a key '{id}'; pick a new id");
        }

        var rotated = keys.Prepend(SecretKey.Generate(id));
        if (KeyFile.Save(path, rotated, overwrite: true) is { } saveError)
        {
            return Cli.Fail(result, saveError.ToString());
        }

        Cli.Output(result).WriteLine($"wrote {path}: key {id} (signing), {rotated.Keys.Count - 1} older key(s) kept for verification");
        return Cli.ExitOk;
    }
}
