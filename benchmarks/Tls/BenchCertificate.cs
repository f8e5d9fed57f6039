using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Benchmarks.Tls;

/// <summary>An ECDSA P-256 (or RSA-2048) server certificate for "localhost", written as PEM files in a temp folder.</summary>
internal sealed class BenchCertificate : IDisposable
{
    public BenchCertificate(bool rsa)
    {
        Directory = Path.Combine(Path.GetTempPath(), "chat-tls-bench-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = key is RSA r
            ? new CertificateRequest("CN=localhost", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=localhost", (ECDsa)key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key is RSA k ? k.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem());
    }

    private BenchCertificate(string directory) => Directory = directory;

    public string Directory { get; }

    public string CertificatePath => Path.Combine(Directory, "server.crt");

    public string KeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The files another process wrote (the server child reads what the parent made).</summary>
    public static BenchCertificate Existing(string directory) => new(directory);

    public X509Certificate2 Load() => X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
