using System.Security.Authentication;

namespace Chat.Gateway.Tls;

/// <summary>
/// TLS at the client edge: certificate files, protocols and time limits. Bound from configuration
/// section "Tls"; <see cref="Validate"/> runs at start (a bad value is one clear line, exit code 2).
/// </summary>
public sealed class TlsOptions
{
    /// <summary>
    /// PEM file with the server certificate first, then any intermediates (the chain sent to
    /// clients). Required. ECDSA P-256 and RSA-2048 keys are the tested ones.
    /// </summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>
    /// PEM file with the private key (PKCS#8, SEC1 or PKCS#1). Default null: the key is read from
    /// <see cref="CertificatePath"/> (one PEM holding certificate, chain and key).
    /// </summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Which TLS engine terminates client connections. Default: <see cref="TlsEngineKind.OpenSsl"/>
    /// (half the memory per idle connection, cheaper handshakes, resumption across gateways;
    /// docs/tls.md "Which engine should be the default"). <see cref="TlsEngineKind.SslStream"/> is
    /// the fallback that needs nothing but .NET.
    /// </summary>
    public TlsEngineKind Engine { get; set; } = TlsEngineKind.OpenSsl;

    /// <summary>
    /// Protocols offered. Default TLS 1.2 and 1.3. Only those two are accepted: TLS 1.0/1.1 are
    /// deprecated (RFC 8996) and validation rejects them.
    /// </summary>
    public SslProtocols EnabledProtocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Time from accept to a finished handshake; past it the connection is closed and counted as
    /// timed out. Default 10 s. Risk of raising it: a slowloris holds a socket and handshake state
    /// that long per connection for free.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a close waits for the close_notify alert to reach the socket before closing anyway
    /// (a peer that stopped reading would otherwise hold the connection). Default 1 s.
    /// </summary>
    public TimeSpan CloseNotifyTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Session resumption (tickets; per process with SslStream, whose ticket keys cannot be set).
    /// Default true: a resumed handshake costs a fraction of a full one.
    /// </summary>
    public bool AllowResumption { get; set; } = true;

    /// <summary>
    /// Reload the certificate when its files change, without dropping connections (existing ones
    /// keep the certificate they started with). Default true.
    /// </summary>
    public bool WatchCertificateFiles { get; set; } = true;

    /// <summary>
    /// Poll interval of the file check that backs up the file-system watcher (inotify misses
    /// changes on some network and container mounts). Default 30 s; a file is re-read only when
    /// its content hash changed.
    /// </summary>
    public TimeSpan CertificatePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Quiet time after a file change before reloading, so a certificate and key written one after
    /// the other are read together. Default 500 ms.
    /// </summary>
    public TimeSpan CertificateReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// OpenSsl engine: file with the session-ticket keys shared by every gateway, so a client that
    /// reconnects to another gateway (DNS round robin) still resumes its session. Default null: a
    /// random key per process (resumption on the same gateway only). Format: one key per line,
    /// base64 of 80 bytes (16 name, 32 HMAC-SHA256, 32 AES-256), '#' comments and blank lines
    /// ignored, at most <see cref="MaxTicketKeys"/> keys; the first key encrypts new tickets, every
    /// key decrypts. Re-read when it changes (same watch and poll as the certificate). Make and
    /// rotate it with <c>chatctl tls-ticket-keys</c> (docs/tls.md). Risk: whoever reads the file can
    /// decrypt recorded TLS 1.2 traffic and TLS 1.3 resumption secrets: mode 0600, rotate daily.
    /// </summary>
    public string? TicketKeyFile { get; set; }

    /// <summary>
    /// OpenSsl engine: extra certificates selected by SNI; empty by default (one certificate for
    /// every name).
    /// </summary>
    public List<TlsServerCertificateOptions> Certificates { get; set; } = [];

    /// <summary>Keys a ticket key file may hold.</summary>
    public const int MaxTicketKeys = 16;

    private const SslProtocols Supported = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Checks values and that the certificate and key files exist and load together.
    /// Returns null when valid, else one line naming the setting and the problem.
    /// </summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            return "Tls:CertificatePath is required (PEM file with the certificate chain).";
        }

        if (EnabledProtocols == SslProtocols.None || (EnabledProtocols & ~Supported) != 0)
        {
            return $"Tls:EnabledProtocols must be Tls12, Tls13 or both; got '{EnabledProtocols}'.";
        }

        if (!Enum.IsDefined(Engine))
        {
            return $"Tls:Engine '{Engine}' is unknown.";
        }

        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            return $"Tls:HandshakeTimeout must be within (0, 5 min]; got {HandshakeTimeout}.";
        }

        if (CloseNotifyTimeout < TimeSpan.Zero || CloseNotifyTimeout > TimeSpan.FromMinutes(1))
        {
            return $"Tls:CloseNotifyTimeout must be within [0, 1 min]; got {CloseNotifyTimeout}.";
        }

        if (CertificatePollInterval < TimeSpan.FromMilliseconds(10))
        {
            return $"Tls:CertificatePollInterval must be at least 10 ms; got {CertificatePollInterval}.";
        }

        if (CertificateReloadDelay < TimeSpan.Zero || CertificateReloadDelay > TimeSpan.FromMinutes(1))
        {
            return $"Tls:CertificateReloadDelay must be within [0, 1 min]; got {CertificateReloadDelay}.";
        }

        if (Engine != TlsEngineKind.OpenSsl && (TicketKeyFile is not null || Certificates.Count > 0))
        {
            return "Tls:TicketKeyFile and Tls:Certificates need Tls:Engine OpenSsl (SslStream cannot set ticket keys or select certificates by name here).";
        }

        TlsCertificateLoadResult loaded = TlsCertificateLoader.Load(CertificatePath, KeyPath, generation: 0);
        if (loaded.Error is not null)
        {
            return "Tls: " + loaded.Error;
        }

        loaded.Certificate?.Leaf.Dispose();
        return ValidateCertificates() ?? ValidateTicketKeyFile();
    }

    private string? ValidateCertificates()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Certificates.Count; i++)
        {
            TlsServerCertificateOptions entry = Certificates[i];
            string prefix = $"Tls:Certificates:{i}";
            if (entry.ServerNames.Count == 0)
            {
                return $"{prefix}:ServerNames needs at least one host name.";
            }

            foreach (string name in entry.ServerNames)
            {
                string host = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
                if (Uri.CheckHostName(host) != UriHostNameType.Dns || host.Contains('*', StringComparison.Ordinal))
                {
                    return $"{prefix}:ServerNames: '{name}' is not a host name or a '*.' wildcard.";
                }

                if (!names.Add(name))
                {
                    return $"{prefix}:ServerNames: '{name}' is listed twice.";
                }
            }

            if (string.IsNullOrWhiteSpace(entry.CertificatePath))
            {
                return $"{prefix}:CertificatePath is required.";
            }

            TlsCertificateLoadResult extra = TlsCertificateLoader.Load(entry.CertificatePath, entry.KeyPath, generation: 0);
            if (extra.Error is not null)
            {
                return $"{prefix}: {extra.Error}";
            }

            extra.Certificate?.Leaf.Dispose();
        }

        return null;
    }

    private string? ValidateTicketKeyFile()
    {
        if (TicketKeyFile is null)
        {
            return null;
        }

        OpenSsl.TicketKeyFileLoadResult keys = OpenSsl.TicketKeyFile.Load(TicketKeyFile);
        return keys.Error is null ? null : "Tls:TicketKeyFile: " + keys.Error;
    }
}
