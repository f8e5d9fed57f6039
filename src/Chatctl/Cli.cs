using System.CommandLine;

namespace Chat.Ctl;

/// <summary>
/// Runs a command line with chatctl's conventions: results on stdout; any bad input is one line
/// "chatctl: ..." on stderr and exit code 2 (parse errors included, instead of the library's help dump).
/// </summary>
internal static class Cli
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;

    public static int Run(RootCommand root, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = root.Parse(args);
        // --help and --version clear parse errors (e.g. "chatctl token --help" lacks a subcommand).
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            // All errors on one line: the first alone can be the least helpful ("Required command was
            // not provided." before "Unrecognized command or argument 'x'.").
            stderr.WriteLine($"chatctl: {string.Join(' ', result.Errors.Select(e => e.Message).Distinct())} (see --help)");
            return ExitUsage;
        }

        return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>Reports bad input from inside an action: one line on stderr, exit code 2.</summary>
    public static int Fail(ParseResult result, string message)
    {
        Error(result).WriteLine($"chatctl: {message}");
        return ExitUsage;
    }

    public static TextWriter Output(ParseResult result) => result.InvocationConfiguration.Output;

    public static TextWriter Error(ParseResult result) => result.InvocationConfiguration.Error;
}
