using Chat.Gateway.Edge;
using Chat.Hosting.Startup;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Gateway.Hosting;

/// <summary>Registers the edge TLS termination (until the TLS engine is merged: refuses Gateway:Tls=true with one clear line).</summary>
internal static class EdgeTlsRegistration
{
    public static IServiceCollection AddEdgeTls(this IServiceCollection services) =>
        services.AddSingleton<IEdgeTls, UnavailableTls>();

    private sealed class UnavailableTls : IEdgeTls
    {
        public Func<IChannelHandler> CreateHandlerFactory() =>
            throw new ConfigurationException("Gateway:Tls is true but this build has no TLS engine; run with --tls false");
    }
}
