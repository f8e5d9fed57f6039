using System.Runtime.Versioning;
using Chat.Protocol.Security;

namespace Chat.Tests.Protocol.Security;

// The project runs on Linux; file modes are part of what is tested.
[UnsupportedOSPlatform("windows")]
public sealed class KeyFileTests : IDisposable
{
    // 32 bytes 0x00..0x1F and 32 bytes 0xFF, unpadded base64url.
    private const string SecretA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private const string SecretB = "__________________________________________8";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keyfile-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void First_key_signs_and_comments_blank_lines_and_crlf_are_ignored()
    {
        var text = $"# token keys\r\n\r\n  k2 {SecretB}  \r\n\t# old key\nk1\t{SecretA}\n";

        Assert.True(KeyFile.TryParse(text, out var keys, out var error), error?.ToString());

        Assert.Equal(["k2", "k1"], keys.Keys.Select(k => k.Id));
        Assert.Equal("k2", keys.SigningKey.Id);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), keys.Keys[1].Secret.ToArray());
        Assert.True(keys.TryGetKey("k1", out var k1));
        Assert.Same(keys.Keys[1], k1);
        Assert.False(keys.TryGetKey("k3", out _));
    }

    [Fact]
    public void Padded_base64url_is_accepted()
    {
        Assert.True(KeyFile.TryParse($"k1 {SecretA}=\n", out var keys, out _));
        Assert.Equal(32, keys.SigningKey.Secret.Length);
    }

    [Theory]
    [InlineData("k1\n", KeyFileErrorKind.BadLine, 1)]
    [InlineData($"# c\nk1 {SecretA} extra\n", KeyFileErrorKind.BadLine, 2)]
    [InlineData($"k1 {SecretA}\nbad.id {SecretB}\n", KeyFileErrorKind.BadKeyId, 2)]
    [InlineData("\n\nk1 not*base64\n", KeyFileErrorKind.BadSecret, 3)]
    [InlineData("k1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg\n", KeyFileErrorKind.BadSecretLength, 1)]
    [InlineData($"k1 {SecretA}\nk1 {SecretB}\n", KeyFileErrorKind.DuplicateKeyId, 2)]
    [InlineData("# nothing here\n\n", KeyFileErrorKind.NoKeys, 0)]
    [InlineData("", KeyFileErrorKind.NoKeys, 0)]
    public void Bad_input_names_the_kind_and_the_line(string text, KeyFileErrorKind kind, int line)
    {
        Assert.False(KeyFile.TryParse(text, out var keys, out var error));

        Assert.Null(keys);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(line, error.Line);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if (line > 0)
        {
            Assert.StartsWith($"line {line}: ", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Saved_file_is_private_and_loads_back()
    {
        var path = Path.Combine(_dir.FullName, "keys.txt");
        var keys = new KeyRing([SecretKey.Generate("k2"), SecretKey.Generate("k1")]);

        Assert.Null(KeyFile.Save(path, keys, overwrite: false));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(KeyFile.TryLoad(path, out var loaded, out var error), error?.ToString());
        Assert.Equal(keys.Keys.Select(k => (k.Id, Convert.ToHexString(k.Secret.Span))), loaded.Keys.Select(k => (k.Id, Convert.ToHexString(k.Secret.Span))));
        Assert.Single(_dir.GetFiles());
    }

    [Fact]
    public void Existing_file_is_kept_unless_overwrite_is_asked()
    {
        var path = Path.Combine(_dir.FullName, "keys.txt");
        File.WriteAllText(path, "precious");

        var error = KeyFile.Save(path, new KeyRing([SecretKey.Generate("k1")]), overwrite: false);

        Assert.Equal(KeyFileErrorKind.AlreadyExists, error?.Kind);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Null(KeyFile.Save(path, new KeyRing([SecretKey.Generate("k1")]), overwrite: true));
        Assert.True(KeyFile.TryLoad(path, out _, out _));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Missing_file_or_folder_is_a_typed_error()
    {
        Assert.False(KeyFile.TryLoad(Path.Combine(_dir.FullName, "none.txt"), out _, out var missing));
        Assert.Equal(KeyFileErrorKind.Unreadable, missing.Kind);

        var error = KeyFile.Save(Path.Combine(_dir.FullName, "no", "such", "dir", "k.txt"), new KeyRing([SecretKey.Generate("k1")]), overwrite: false);
        Assert.Equal(KeyFileErrorKind.Unwritable, error?.Kind);
    }

    [Fact]
    public void Load_error_names_the_file_and_line()
    {
        var path = Path.Combine(_dir.FullName, "bad.txt");
        File.WriteAllText(path, "# header\nk1 shor\n");

        Assert.False(KeyFile.TryLoad(path, out _, out var error));

        Assert.Equal(KeyFileErrorKind.BadSecretLength, error.Kind);
        Assert.Equal($"line 2: {path}: the secret must be 32-1024 bytes, it is 3", error.ToString());
    }
}
