namespace Chat.Gateway.Tls;

/// <summary>
/// An extra certificate chosen by SNI (the server name a client asks for), section
/// "Tls:Certificates:n". Only the OpenSsl engine serves them. Clients that send no server name, or
/// one that matches no entry, get the default certificate (<see cref="TlsOptions.CertificatePath"/>).
/// Reloaded on change like the default one.
/// </summary>
public sealed class TlsServerCertificateOptions
{
    /// <summary>
    /// Host names this certificate serves: exact ("chat.example.com") or one leading wildcard label
    /// ("*.example.com", matching "eu.example.com" only). Case-insensitive. At least one.
    /// </summary>
    public List<string> ServerNames { get; set; } = [];

    /// <summary>PEM file with the certificate and its chain. Required.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file with the key; null: in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }
}
