using System.CommandLine;

namespace Chat.Ctl;

/// <summary>
/// chatctl, the operator CLI. This file only assembles the command groups; each group lives in its
/// own file (TokenCommands.cs, KeyCommands.cs ...). Add a group with one line in <see cref="BuildRoot"/>.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => Cli.Run(BuildRoot(TimeProvider.System), args, Console.Out, Console.Error);

    internal static RootCommand BuildRoot(TimeProvider time)
    {
        var root = new RootCommand("chatctl: operator tool for the chat gateway tier");
        root.Subcommands.Add(TokenCommands.Create(time));
        root.Subcommands.Add(KeyCommands.Create());
        root.Subcommands.Add(RingCommands.Create());
        root.Subcommands.Add(TicketKeyCommands.Create());
        return root;
    }
}
