using System.Runtime.Versioning;
using Chat.Ctl;
using Chat.Protocol.Security;
using Chat.Tests.Protocol.Support;

namespace Chat.Tests.Protocol.Chatctl;

/// <summary>chatctl's commands run in-process, with the same root command Program builds.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ChatctlTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("chatctl-");
    private readonly ManualTimeProvider _time = new(Now);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Key_new_writes_a_private_file_with_one_signing_key()
    {
        var path = PathOf("keys.txt");

        var (code, stdout, stderr) = Run("key", "new", "--out", path);

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.Contains("k1", stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(KeyFile.TryLoad(path, out var keys, out _));
        Assert.Equal("k1", Assert.Single(keys.Keys).Id);
        Assert.Equal(32, keys.SigningKey.Secret.Length);
    }

    [Fact]
    public void Key_new_refuses_to_overwrite_without_force()
    {
        var path = PathOf("keys.txt");
        Assert.Equal(0, Run("key", "new", "--out", path, "--id", "first").Code);
        var before = File.ReadAllText(path);

        var (code, stdout, stderr) = Run("key", "new", "--out", path, "--id", "second");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));

        Assert.Equal(0, Run("key", "new", "--out", path, "--id", "second", "--force").Code);
        Assert.True(KeyFile.TryLoad(path, out var keys, out _));
        Assert.Equal("second", keys.SigningKey.Id);
    }

    [Fact]
    public void Key_rotate_puts_a_new_signing_key_first_and_keeps_the_old_ones()
    {
        var path = PathOf("keys.txt");
        Run("key", "new", "--out", path);
        Assert.True(KeyFile.TryLoad(path, out var before, out _));

        var (code, _, stderr) = Run("key", "new", "--rotate", path, "--id", "k2");

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.True(KeyFile.TryLoad(path, out var after, out _));
        Assert.Equal(["k2", "k1"], after.Keys.Select(k => k.Id));
        Assert.Equal(before.SigningKey.Secret.ToArray(), after.Keys[1].Secret.ToArray());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("key", "new", "--rotate", "{keys}", "--id", "k1")] // id already in the file
    [InlineData("key", "new", "--rotate", "{keys}")] // no --id
    [InlineData("key", "new", "--rotate", "{keys}", "--id", "k2", "--force")]
    [InlineData("key", "new")]
    [InlineData("key", "new", "--out", "{new}", "--rotate", "{keys}")]
    [InlineData("key", "new", "--out", "{new}", "--id", "bad.id")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1")] // no --key-file
    [InlineData("token", "issue", "--user", "a b", "--couple", "c1", "--key-file", "{keys}")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c.1", "--key-file", "{keys}")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1", "--key-file", "{new}")] // missing file
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1", "--key-file", "{keys}", "--ttl", "10x")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1", "--key-file", "{keys}", "--ttl", "0h")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1", "--key-file", "{keys}", "--ttl", "400d")]
    [InlineData("token", "issue", "--user", "alice", "--couple", "c1", "--key-file", "{keys}", "--bogus")]
    [InlineData("nonsense")]
    [InlineData]
    public void Bad_input_is_one_line_on_stderr_and_exit_code_2(params string[] args)
    {
        var keys = PathOf("keys.txt");
        Run("key", "new", "--out", keys);
        var before = File.ReadAllText(keys);
        var resolved = args.Select(a => a.Replace("{keys}", keys, StringComparison.Ordinal).Replace("{new}", PathOf("new.txt"), StringComparison.Ordinal)).ToArray();

        var (code, stdout, stderr) = Run(resolved);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("chatctl: ", line, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(keys));
        Assert.False(File.Exists(PathOf("new.txt")));
    }

    [Fact]
    public void Token_issue_prints_a_token_the_verifier_accepts()
    {
        var path = PathOf("keys.txt");
        Run("key", "new", "--out", path, "--id", "dev");

        var (code, stdout, stderr) = Run("token", "issue", "--user", "alice", "--couple", "c-42", "--ttl", "90m", "--key-file", path);

        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.True(KeyFile.TryLoad(path, out var keys, out _));
        var result = new TokenVerifier(keys, time: _time).Verify(stdout.TrimEnd('\n'));
        Assert.True(result.IsValid, result.Failure.ToString());
        Assert.Equal(new TokenClaims("dev", "alice", "c-42", Now.AddMinutes(90)), result.Claims);
    }

    [Fact]
    public void Token_ttl_defaults_to_one_hour()
    {
        var path = PathOf("keys.txt");
        Run("key", "new", "--out", path);

        var (_, stdout, _) = Run("token", "issue", "--user", "u", "--couple", "c", "--key-file", path);

        Assert.Contains($".{Now.AddHours(1).ToUnixTimeSeconds()}.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        var (code, stdout, stderr) = Run("token", "--help");

        Assert.Equal(0, code);
        Assert.Contains("issue", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(Program.BuildRoot(_time), args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
