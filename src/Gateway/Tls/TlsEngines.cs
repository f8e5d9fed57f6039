using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>Creates the configured <see cref="ITlsEngine"/>.</summary>
public static class TlsEngines
{
    /// <summary>
    /// Validates <paramref name="options"/>, loads the certificate and starts watching its files.
    /// On failure returns false and one line for the operator in <paramref name="error"/>.
    /// </summary>
    /// <param name="meterFactory">Creates the "Chat.Gateway.Tls" meter; null: a meter of its own.</param>
    /// <param name="timeProvider">Clock for handshake timeouts and file polling; null: the system clock.</param>
    public static bool TryCreate(
        TlsOptions options,
        ILoggerFactory loggerFactory,
        IMeterFactory? meterFactory,
        TimeProvider? timeProvider,
        [NotNullWhen(true)] out ITlsEngine? engine,
        [NotNullWhen(false)] out string? error)
    {
        engine = null;
        error = options.Validate();
        if (error is not null)
        {
            return false;
        }

        switch (options.Engine)
        {
            case TlsEngineKind.SslStream:
                var created = SslStreamTlsEngine.TryCreate(options, loggerFactory, meterFactory, timeProvider ?? TimeProvider.System, out error);
                engine = created;
                return created is not null;
            case TlsEngineKind.OpenSsl:
                var native = OpenSsl.OpenSslTlsEngine.TryCreate(options, loggerFactory, meterFactory, timeProvider ?? TimeProvider.System, out error);
                engine = native;
                return native is not null;
            default:
                error = $"Tls:Engine '{options.Engine}' is not available";
                return false;
        }
    }
}
