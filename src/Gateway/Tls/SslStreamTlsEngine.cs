using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>
/// TLS with .NET's SslStream (OpenSSL underneath on Linux), one <see cref="SslStreamTlsHandler"/>
/// per connection. Holds one <see cref="SslServerAuthenticationOptions"/> per certificate
/// generation, shared by every connection of that generation: the cached
/// <see cref="SslStreamCertificateContext"/> in it is what makes SslStream reuse its native
/// context (and with it session tickets) instead of rebuilding the chain per handshake.
/// </summary>
internal sealed class SslStreamTlsEngine : ITlsEngine
{
    private readonly TlsOptions _options;
    private readonly TlsCertificateWatcher? _watcher;
    private Generation _current;

    private SslStreamTlsEngine(TlsOptions options, Generation first, TlsMetrics metrics, ILogger logger, TimeProvider time, TlsCertificate certificate)
    {
        _options = options;
        _current = first;
        Metrics = metrics;
        Logger = logger;
        Time = time;
        if (options.WatchCertificateFiles)
        {
            _watcher = new TlsCertificateWatcher(options, certificate, Apply, metrics, logger, time);
        }
    }

    public TlsEngineKind Kind => TlsEngineKind.SslStream;

    public TlsCertificateInfo Certificate => Volatile.Read(ref _current).Info;

    internal TlsMetrics Metrics { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal TimeSpan HandshakeTimeout => _options.HandshakeTimeout;

    internal TimeSpan CloseNotifyTimeout => _options.CloseNotifyTimeout;

    public static SslStreamTlsEngine? TryCreate(TlsOptions options, ILoggerFactory loggerFactory, IMeterFactory? meterFactory, TimeProvider time, out string? error)
    {
        TlsCertificateLoadResult loaded = TlsCertificateLoader.Load(options.CertificatePath, options.KeyPath, generation: 1);
        if (loaded.Certificate is null)
        {
            error = "Tls: " + loaded.Error;
            return null;
        }

        Generation? first = Build(loaded.Certificate, options, out error);
        if (first is null)
        {
            error = "Tls: " + error;
            return null;
        }

        ILogger logger = loggerFactory.CreateLogger("Chat.Gateway.Tls");
        var metrics = new TlsMetrics(meterFactory);
        TlsCertificateInfo info = first.Info;
        TlsLog.CertificateLoaded(logger, info.Generation, info.Subject, info.KeyAlgorithm, info.Thumbprint, info.NotAfter);
        if (info.NotAfter < time.GetUtcNow().AddDays(14))
        {
            TlsLog.CertificateExpiresSoon(logger, info.Thumbprint, info.NotAfter);
        }

        return new SslStreamTlsEngine(options, first, metrics, logger, time, loaded.Certificate);
    }

    public IChannelHandler CreateHandler() => new SslStreamTlsHandler(this, Volatile.Read(ref _current).Options);

    public void Dispose()
    {
        _watcher?.Dispose();
        Metrics.Dispose();
    }

    private string? Apply(TlsCertificate certificate)
    {
        Generation? next = Build(certificate, _options, out string? error);
        if (next is null)
        {
            return error;
        }

        // Connections already accepted keep the options object they were created with: nothing
        // is disposed here (the old context is collected when its last connection is gone).
        Volatile.Write(ref _current, next);
        return null;
    }

    private static Generation? Build(TlsCertificate certificate, TlsOptions options, out string? error)
    {
        try
        {
            // offline: true builds the chain from the file's intermediates without fetching
            // anything over the network at start or reload.
            var context = SslStreamCertificateContext.Create(certificate.Leaf, certificate.Intermediates, offline: true);
            var server = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                EnabledSslProtocols = options.EnabledProtocols,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                AllowTlsResume = options.AllowResumption,
                // Client-initiated TLS 1.2 renegotiation only costs the server CPU.
                AllowRenegotiation = false,
            };
            error = null;
            return new Generation(server, certificate.Info);
        }
        catch (CryptographicException e)
        {
            error = $"cannot build the TLS context for certificate {certificate.Info.Thumbprint}: {e.Message}";
            return null;
        }
    }

    /// <summary>Options shared by every connection accepted while this certificate was current.</summary>
    private sealed record Generation(SslServerAuthenticationOptions Options, TlsCertificateInfo Info);
}
