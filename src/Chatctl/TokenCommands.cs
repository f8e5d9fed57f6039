using System.CommandLine;
using Chat.Protocol.Security;

namespace Chat.Ctl;

/// <summary><c>chatctl token issue</c>: dev and test tokens signed with a key file's signing key.</summary>
internal static class TokenCommands
{
    /// <summary>Longest ttl issued: dev tokens are not meant to live for years.</summary>
    private static readonly TimeSpan MaxTtl = TimeSpan.FromDays(366);

    public static Command Create(TimeProvider time)
    {
        var user = new Option<string>("--user") { Description = "User id: 1-64 characters of [A-Za-z0-9_-]", Required = true };
        var couple = new Option<string>("--couple") { Description = "Couple id: 1-64 characters of [A-Za-z0-9_-]", Required = true };
        var ttl = new Option<string>("--ttl")
        {
            Description = "Lifetime: <n>s, <n>m, <n>h or <n>d (at most 366d)",
            DefaultValueFactory = _ => "1h",
        };
        var keyFile = new Option<string>("--key-file") { Description = "Key file; its first key signs", Required = true };

        var issue = new Command("issue", "Print a signed v1 token on stdout") { user, couple, ttl, keyFile };
        issue.SetAction(result => Issue(result, time, result.GetValue(user)!, result.GetValue(couple)!, result.GetValue(ttl)!, result.GetValue(keyFile)!));

        return new Command("token", "Auth tokens") { issue };
    }

    private static int Issue(ParseResult result, TimeProvider time, string user, string couple, string ttlText, string keyFile)
    {
        if (!TokenIds.IsValid(user))
        {
            return Cli.Fail(result, $"--user '{user}' must be 1-64 characters of [A-Za-z0-9_-]");
        }

        if (!TokenIds.IsValid(couple))
        {
            return Cli.Fail(result, $"--couple '{couple}' must be 1-64 characters of [A-Za-z0-9_-]");
        }

        if (!Durations.TryParse(ttlText, out var lifetime) || lifetime > MaxTtl)
        {
            return Cli.Fail(result, $"--ttl '{ttlText}' must be <n>s, <n>m, <n>h or <n>d, positive and at most 366d");
        }

        if (!KeyFile.TryLoad(keyFile, out var keys, out var error))
        {
            return Cli.Fail(result, $"--key-file: {error}");
        }

        var token = new TokenSigner(keys, time).Issue(user, couple, lifetime);
        Cli.Output(result).WriteLine(token);
        return Cli.ExitOk;
    }
}
