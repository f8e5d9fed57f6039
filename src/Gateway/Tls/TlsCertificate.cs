using System.Security.Cryptography.X509Certificates;

namespace Chat.Gateway.Tls;

/// <summary>
/// One generation of certificate material loaded from the PEM files, engine-neutral: each engine
/// builds its own per-generation context from it (SslStream: an SslStreamCertificateContext; a
/// native engine: an SSL_CTX).
/// </summary>
internal sealed class TlsCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates, string contentHash, TlsCertificateInfo info)
{
    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>Certificates after the first in the certificate file, sent as the chain.</summary>
    public X509Certificate2Collection Intermediates { get; } = intermediates;

    /// <summary>SHA-256 over the certificate and key file contents: a reload of identical files is skipped.</summary>
    public string ContentHash { get; } = contentHash;

    public TlsCertificateInfo Info { get; } = info;
}
