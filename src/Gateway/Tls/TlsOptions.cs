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

    /// <summary>Which TLS engine terminates client connections. Default: <see cref="TlsEngineKind.SslStream"/>.</summary>
    public TlsEngineKind Engine { get; set; } = TlsEngineKind.SslStream;

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

        TlsCertificateLoadResult loaded = TlsCertificateLoader.Load(CertificatePath, KeyPath, generation: 0);
        return loaded.Error is null ? null : "Tls: " + loaded.Error;
    }
}
