using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// A throw-away CA and a server certificate it signed (ECDSA P-256, names "localhost" and
/// 127.0.0.1), written as PEM files for a gateway. Clients pin <see cref="Ca"/>.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("chat-tls-").FullName;

    public TestCertificate()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=chat test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(Ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(16));

        CertificatePath = Path.Combine(_dir, "server.crt");
        KeyPath = Path.Combine(_dir, "server.key");
        File.WriteAllText(CertificatePath, leaf.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The CA clients trust (pin).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>PEM: the server certificate, then the CA.</summary>
    public string CertificatePath { get; }

    public string KeyPath { get; }

    public void Dispose()
    {
        Ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
