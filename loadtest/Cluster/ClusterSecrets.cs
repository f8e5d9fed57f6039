using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Chat.Protocol.Security;

namespace Chat.LoadTest.Cluster;

/// <summary>
/// The secrets of a local cluster, written into its run directory: a token key file, a cluster key
/// file, and a development CA with a server certificate it signed (ECDSA P-256, names "localhost" and
/// 127.0.0.1). Clients pin <see cref="CaPath"/>. Files that exist are reused, so worker processes and
/// a second run on the same directory agree.
/// </summary>
internal sealed class ClusterSecrets
{
    private ClusterSecrets(string dir)
    {
        TokenKeyPath = Path.Combine(dir, "tokens.txt");
        ClusterKeyPath = Path.Combine(dir, "cluster.txt");
        CertificatePath = Path.Combine(dir, "server.crt");
        KeyPath = Path.Combine(dir, "server.key");
        CaPath = Path.Combine(dir, "ca.crt");
        PemBundlePath = Path.Combine(dir, "server.pem");
        TicketKeyPath = Path.Combine(dir, "tickets.txt");
    }

    public string TokenKeyPath { get; }

    /// <summary>
    /// TLS session-ticket keys shared by every gateway (OpenSsl engine, Tls:TicketKeyFile): one
    /// base64 key of 80 random bytes, so a client moved by a drain resumes at another gateway.
    /// </summary>
    public string TicketKeyPath { get; }

    public string ClusterKeyPath { get; }

    /// <summary>PEM: the server certificate, then the CA.</summary>
    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string CaPath { get; }

    /// <summary>Certificate, CA and key in one PEM (HAProxy's <c>crt</c>).</summary>
    public string PemBundlePath { get; }

    /// <summary>Creates whatever is missing under <paramref name="dir"/>.</summary>
    public static ClusterSecrets Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var secrets = new ClusterSecrets(dir);
        if (!File.Exists(secrets.TokenKeyPath))
        {
            Save(secrets.TokenKeyPath, new KeyRing([SecretKey.Generate("k1")]));
        }

        if (!File.Exists(secrets.ClusterKeyPath))
        {
            Save(secrets.ClusterKeyPath, new KeyRing([SecretKey.Generate("c1")]));
        }

        if (!File.Exists(secrets.TicketKeyPath))
        {
            File.WriteAllText(secrets.TicketKeyPath, "# loadtest: TLS session-ticket key shared by the gateways\n" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(80)) + "\n");
        }

        if (!File.Exists(secrets.PemBundlePath))
        {
            secrets.WriteCertificates();
        }

        return secrets;
    }

    /// <summary>A token signer with the token key file's signing key.</summary>
    public TokenSigner Signer() => LoadSigner(TokenKeyPath);

    /// <summary>A token signer with the signing key of the key file at <paramref name="path"/>.</summary>
    public static TokenSigner LoadSigner(string path) =>
        KeyFile.TryLoad(path, out var keys, out var error)
            ? new TokenSigner(keys)
            : throw new InvalidOperationException($"{path}: {error}");

    public X509Certificate2 LoadCa() => X509CertificateLoader.LoadCertificateFromFile(CaPath);

    private static void Save(string path, KeyRing keys)
    {
        if (KeyFile.Save(path, keys, overwrite: false) is { } error)
        {
            throw new InvalidOperationException($"{path}: {error.Message}");
        }
    }

    private void WriteCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=chat loadtest dev CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(16));

        var chain = leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        File.WriteAllText(CaPath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(CertificatePath, chain);
        File.WriteAllText(KeyPath, keyPem);
        File.WriteAllText(PemBundlePath, chain + keyPem);
    }
}
