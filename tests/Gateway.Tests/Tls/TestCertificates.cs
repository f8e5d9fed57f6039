using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Tests.Gateway.Tls;

public enum TestKeyKind
{
    EcdsaP256,
    Rsa2048,
}

/// <summary>Self-signed server certificates made in the test and written as PEM files in a temp folder.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "chat-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string CertificatePath => Path.Combine(Directory, "server.crt");

    public string KeyPath => Path.Combine(Directory, "server.key");

    public string CombinedPath => Path.Combine(Directory, "server.pem");

    /// <summary>Creates a certificate for "localhost"; returns its SHA-256 thumbprint.</summary>
    public static (string CertificatePem, string KeyPem, string Thumbprint) Create(TestKeyKind kind, string subject = "CN=localhost")
    {
        using AsymmetricAlgorithm key = kind == TestKeyKind.EcdsaP256 ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        CertificateRequest request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException(),
        };
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        string keyPem = key switch
        {
            ECDsa ecdsa => ecdsa.ExportPkcs8PrivateKeyPem(),
            RSA rsa => rsa.ExportPkcs8PrivateKeyPem(),
            _ => throw new InvalidOperationException(),
        };
        return (certificate.ExportCertificatePem(), keyPem, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>Writes certificate and key as two files (atomically: temp file + rename); returns the thumbprint.</summary>
    public string WriteSeparate(TestKeyKind kind, string subject = "CN=localhost")
    {
        (string certificatePem, string keyPem, string thumbprint) = Create(kind, subject);
        WriteAtomically(KeyPath, keyPem);
        WriteAtomically(CertificatePath, certificatePem);
        return thumbprint;
    }

    /// <summary>Writes certificate and key into one PEM file; returns the thumbprint.</summary>
    public string WriteCombined(TestKeyKind kind)
    {
        (string certificatePem, string keyPem, string thumbprint) = Create(kind);
        WriteAtomically(CombinedPath, certificatePem + "\n" + keyPem);
        return thumbprint;
    }

    public static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
