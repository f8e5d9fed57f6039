using System.Diagnostics.Metrics;
using Chat.Gateway.Edge;
using Chat.Gateway.Tls;
using Chat.Hosting.Startup;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Gateway.Hosting;

/// <summary>
/// Registers the edge TLS termination: the engine named by <c>Tls:Engine</c>, created from the
/// <c>Tls</c> section when the gateway starts with <c>Gateway:Tls</c> true (the default).
/// </summary>
internal static class EdgeTlsRegistration
{
    public static IServiceCollection AddEdgeTls(this IServiceCollection services)
    {
        // Not ValidateOnStart: the section is only required when TLS is on (TlsOptions.Validate
        // reads the certificate files), so it is validated when the engine is created.
        services.AddOptions<TlsOptions>().BindConfiguration("Tls");
        services.AddSingleton<IEdgeTls, ConfiguredEdgeTls>();
        return services;
    }

    /// <summary>Creates the engine once; the host disposes it (stops the certificate watcher) at exit.</summary>
    private sealed class ConfiguredEdgeTls(
        IOptions<TlsOptions> options, ILoggerFactory loggerFactory, IMeterFactory meterFactory, TimeProvider time) : IEdgeTls, IDisposable
    {
        private ITlsEngine? _engine;

        public Func<IChannelHandler> CreateHandlerFactory()
        {
            if (_engine is null)
            {
                if (!TlsEngines.TryCreate(options.Value, loggerFactory, meterFactory, time, out var engine, out var error))
                {
                    throw new ConfigurationException(error);
                }

                _engine = engine;
            }

            return _engine.CreateHandler;
        }

        public void Dispose() => _engine?.Dispose();
    }
}
