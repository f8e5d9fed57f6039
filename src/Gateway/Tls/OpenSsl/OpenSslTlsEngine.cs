using System.Diagnostics.Metrics;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Chat.Gateway.Tls.OpenSsl.Interop;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// TLS with the system libssl.so.3 called directly: one SSL_CTX per certificate (default + SNI),
/// one <see cref="OpenSslTlsHandler"/> per connection driving an SSL between memory BIOs on the
/// channel's event loop. Session tickets come from a <see cref="TicketKeyRing"/> (a key file shared
/// by all gateways, or a per-process key), so resumption works across gateways.
/// </summary>
internal sealed class OpenSslTlsEngine : ITlsEngine, IServerNameSelector
{
    private readonly TlsOptions _options;
    private SslContextSettings _settings;
    private readonly TicketKeyRing? _tickets;
    private readonly List<TlsCertificateWatcher> _watchers = [];
    private readonly object _reloadGate = new();
    private OpenSslContextSet _contexts;

    private OpenSslTlsEngine(TlsOptions options, SslContextSettings settings, TicketKeyRing? tickets, TlsMetrics metrics, ILogger logger, TimeProvider time)
    {
        _options = options;
        _settings = settings;
        _tickets = tickets;
        Metrics = metrics;
        Logger = logger;
        Time = time;
        _contexts = null!;
    }

    public TlsEngineKind Kind => TlsEngineKind.OpenSsl;

    public TlsCertificateInfo Certificate => Volatile.Read(ref _contexts).Default.Info;

    /// <summary>The certificates of Tls:Certificates, in order (for tests and the admin endpoint).</summary>
    public IReadOnlyList<TlsCertificateInfo> NamedCertificates => Volatile.Read(ref _contexts).Named.Select(c => c.Info).ToArray();

    internal TicketKeyRing? Tickets => _tickets;

    internal TlsMetrics Metrics { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal TimeSpan HandshakeTimeout => _options.HandshakeTimeout;

    internal TimeSpan CloseNotifyTimeout => _options.CloseNotifyTimeout;

    public static OpenSslTlsEngine? TryCreate(TlsOptions options, ILoggerFactory loggerFactory, IMeterFactory? meterFactory, TimeProvider time, out string? error)
    {
        try
        {
            _ = OpenSslVersion.Text;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Only libssl.so.3/libcrypto.so.3 (OpenSSL 3, Debian package libssl3) will do.
            error = "Tls:Engine OpenSsl needs libssl.so.3 and libcrypto.so.3 (OpenSSL 3): " + e.Message;
            return null;
        }

        ILogger logger = loggerFactory.CreateLogger("Chat.Gateway.Tls");
        var metrics = new TlsMetrics(meterFactory);
        TicketKeyRing? tickets = null;
        if (options.AllowResumption)
        {
            tickets = TicketKeyRing.Create(options, metrics, logger, time, out error);
            if (tickets is null)
            {
                metrics.Dispose();
                return null;
            }
        }

        var settings = new SslContextSettings(
            (options.EnabledProtocols & SslProtocols.Tls12) != 0 ? OpenSslConstants.Tls12Version : OpenSslConstants.Tls13Version,
            (options.EnabledProtocols & SslProtocols.Tls13) != 0 ? OpenSslConstants.Tls13Version : OpenSslConstants.Tls12Version,
            tickets is null ? 0 : CallbackTargets.Register(tickets),
            ServerNameSelectorId: 0);
        var engine = new OpenSslTlsEngine(options, settings, tickets, metrics, logger, time);
        if (options.Certificates.Count > 0)
        {
            // The SNI callback finds the engine by this id; set before any context is built.
            engine._settings = settings with { ServerNameSelectorId = CallbackTargets.Register(engine) };
        }

        error = engine.LoadAll();
        if (error is not null)
        {
            engine.Dispose();
            return null;
        }

        OpenSslLog.EngineStarted(logger, OpenSslVersion.Text, 1 + options.Certificates.Count, tickets is null ? "off" : options.TicketKeyFile is null ? "per-process key" : "shared key file");
        return engine;
    }

    public IChannelHandler CreateHandler() => new OpenSslTlsHandler(this, Volatile.Read(ref _contexts).Default.Handle);

    SafeSslContextHandle? IServerNameSelector.Select(string serverName) => Volatile.Read(ref _contexts).Find(serverName)?.Handle;

    public void Dispose()
    {
        foreach (TlsCertificateWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        _tickets?.Dispose();
        CallbackTargets.Unregister(_settings.TicketKeySourceId);
        CallbackTargets.Unregister(_settings.ServerNameSelectorId);
        OpenSslContextSet? contexts = Volatile.Read(ref _contexts);
        if (contexts is not null)
        {
            // Connections still open keep their native context alive by reference count.
            contexts.Default.Handle.Dispose();
            foreach (OpenSslContext named in contexts.Named)
            {
                named.Handle.Dispose();
            }
        }

        Metrics.Dispose();
    }

    /// <summary>Loads every certificate, builds the contexts and starts the file watchers; an error line or null.</summary>
    private string? LoadAll()
    {
        IReadOnlyList<TlsServerCertificateOptions> entries = _options.Certificates;
        var loaded = new TlsCertificate[entries.Count + 1];
        var contexts = new OpenSslContext[entries.Count + 1];
        for (int i = -1; i < entries.Count; i++)
        {
            string path = i < 0 ? _options.CertificatePath : entries[i].CertificatePath;
            string? keyPath = i < 0 ? _options.KeyPath : entries[i].KeyPath;
            TlsCertificateLoadResult result = TlsCertificateLoader.Load(path, keyPath, generation: 1);
            if (result.Certificate is null)
            {
                return (i < 0 ? "Tls: " : $"Tls:Certificates:{i}: ") + result.Error;
            }

            OpenSslContext? context = Build(result.Certificate, out string? error);
            if (context is null)
            {
                return (i < 0 ? "Tls: " : $"Tls:Certificates:{i}: ") + error;
            }

            loaded[i + 1] = result.Certificate;
            contexts[i + 1] = context;
            TlsCertificateInfo info = context.Info;
            TlsLog.CertificateLoaded(Logger, info.Generation, info.Subject, info.KeyAlgorithm, info.Thumbprint, info.NotAfter);
            if (info.NotAfter < Time.GetUtcNow().AddDays(14))
            {
                TlsLog.CertificateExpiresSoon(Logger, info.Thumbprint, info.NotAfter);
            }
        }

        _contexts = new OpenSslContextSet(contexts[0], contexts[1..], entries);
        if (_options.WatchCertificateFiles)
        {
            for (int i = -1; i < entries.Count; i++)
            {
                int index = i;
                TlsOptions watched = i < 0 ? _options : WatchOptions(entries[i]);
                _watchers.Add(new TlsCertificateWatcher(watched, loaded[i + 1], certificate => Apply(index, certificate), Metrics, Logger, Time));
            }
        }

        return null;
    }

    /// <summary>The watcher reads paths and timings from TlsOptions: one per SNI certificate.</summary>
    private TlsOptions WatchOptions(TlsServerCertificateOptions entry) => new()
    {
        CertificatePath = entry.CertificatePath,
        KeyPath = entry.KeyPath,
        CertificatePollInterval = _options.CertificatePollInterval,
        CertificateReloadDelay = _options.CertificateReloadDelay,
    };

    private string? Apply(int index, TlsCertificate certificate)
    {
        OpenSslContext? context = Build(certificate, out string? error);
        if (context is null)
        {
            return error;
        }

        lock (_reloadGate)
        {
            // The replaced context is not disposed here: a handler created a moment ago may not
            // have called SSL_new with it yet. Its SafeHandle is finalized once unreferenced, and
            // OpenSSL frees the context after its last connection.
            Volatile.Write(ref _contexts, Volatile.Read(ref _contexts).With(index, context, _options.Certificates));
        }

        return null;
    }

    private OpenSslContext? Build(TlsCertificate certificate, out string? error)
    {
        byte[]? key = null;
        try
        {
            key = ExportPrivateKey(certificate);
            if (key is null)
            {
                error = $"the key of certificate {certificate.Info.Thumbprint} cannot be exported for OpenSSL";
                return null;
            }

            byte[][] chain = certificate.Intermediates.Select(c => c.RawData).ToArray();
            SafeSslContextHandle? handle = SslContextBuilder.Build(_settings, certificate.Leaf.RawData, chain, key, out error);
            if (handle is null)
            {
                error = $"cannot build the OpenSSL context for certificate {certificate.Info.Thumbprint}: {error}";
                return null;
            }

            return new OpenSslContext(handle, certificate.Info);
        }
        catch (CryptographicException e)
        {
            error = $"cannot export the key of certificate {certificate.Info.Thumbprint}: {e.Message}";
            return null;
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    private static byte[]? ExportPrivateKey(TlsCertificate certificate)
    {
        using (ECDsa? ecdsa = certificate.Leaf.GetECDsaPrivateKey())
        {
            if (ecdsa is not null)
            {
                return ecdsa.ExportPkcs8PrivateKey();
            }
        }

        using RSA? rsa = certificate.Leaf.GetRSAPrivateKey();
        return rsa?.ExportPkcs8PrivateKey();
    }
}
