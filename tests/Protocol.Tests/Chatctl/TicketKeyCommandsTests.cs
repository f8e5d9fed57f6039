using System.Runtime.Versioning;
using Chat.Ctl;

namespace Chat.Tests.Protocol.Chatctl;

/// <summary>chatctl tls-ticket-keys: the file the gateways' OpenSsl engine reads (docs/tls.md).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TicketKeyCommandsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("chatctl-tk-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void New_writes_a_private_file_with_a_current_and_a_next_key_and_rotate_promotes_the_next_one()
    {
        string path = Path.Combine(_dir.FullName, "ticket.keys");
        Assert.Equal(0, Run("tls-ticket-keys", "new", "--out", path).Code);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        string[] first = Keys(path);
        Assert.Equal(2, first.Length);
        Assert.All(first, k => Assert.Equal(80, Convert.FromBase64String(k).Length));
        Assert.Equal(2, Run("tls-ticket-keys", "new", "--out", path).Code);

        Assert.Equal(0, Run("tls-ticket-keys", "rotate", path).Code);
        string[] second = Keys(path);
        Assert.Equal([first[1], first[0]], second[..2]);
        Assert.Equal(3, second.Length);

        Assert.Equal(0, Run("tls-ticket-keys", "rotate", path).Code);
        Assert.Equal(0, Run("tls-ticket-keys", "rotate", path).Code);
        string[] fourth = Keys(path);

        // Current, two previous (the default --keep), next.
        Assert.Equal(4, fourth.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        File.WriteAllText(path, "not a key\n");
        (int code, _, string stderr) = Run("tls-ticket-keys", "rotate", path);
        Assert.Equal(2, code);
        Assert.Contains("line 1", stderr, StringComparison.Ordinal);
    }

    private static string[] Keys(string path) => File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Cli.Run(Program.BuildRoot(TimeProvider.System), args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
