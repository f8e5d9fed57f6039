using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// The TLS termination of the client listener, as the edge sees it: a factory of one handler per
/// accepted connection (first in the pipeline). Created at start from the <c>Tls</c> section;
/// a bad certificate or option is a configuration error (exit code 2).
/// </summary>
public interface IEdgeTls
{
    /// <summary>Loads the certificate and returns the per-connection handler factory; throws ConfigurationException on bad settings.</summary>
    Func<IChannelHandler> CreateHandlerFactory();
}
