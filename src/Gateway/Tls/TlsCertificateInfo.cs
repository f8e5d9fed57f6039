namespace Chat.Gateway.Tls;

/// <summary>
/// What the certificate that new connections get looks like (for logs, the admin endpoint and tests).
/// </summary>
/// <param name="Generation">1 for the certificate loaded at start, +1 on every successful reload.</param>
/// <param name="Thumbprint">SHA-256 of the DER certificate, upper-case hex.</param>
/// <param name="Subject">Subject distinguished name.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="KeyAlgorithm">"ECDSA P-256", "RSA-2048" and the like.</param>
public sealed record TlsCertificateInfo(long Generation, string Thumbprint, string Subject, DateTimeOffset NotAfter, string KeyAlgorithm);
