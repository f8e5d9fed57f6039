using Chat.Protocol.Security;

namespace Chat.Tests.Functional.Support;

/// <summary>A fresh token key file and cluster key file in a temporary folder, and a signer for tokens.</summary>
internal sealed class TestKeys : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("chat-keys-").FullName;

    public TestKeys()
    {
        var tokenKeys = new KeyRing([SecretKey.Generate("k1")]);
        TokenKeyFile = Path.Combine(_dir, "tokens.txt");
        ClusterKeyFile = Path.Combine(_dir, "cluster.txt");
        Check(KeyFile.Save(TokenKeyFile, tokenKeys, overwrite: false));
        Check(KeyFile.Save(ClusterKeyFile, new KeyRing([SecretKey.Generate("c1")]), overwrite: false));
        Signer = new TokenSigner(tokenKeys);
    }

    public string TokenKeyFile { get; }

    public string ClusterKeyFile { get; }

    public TokenSigner Signer { get; }

    public string Token(string userId, string coupleId) => Signer.Issue(userId, coupleId, TimeSpan.FromHours(1));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Check(KeyFileError? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error.Message);
        }
    }
}
