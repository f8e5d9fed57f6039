using Chat.Gateway.Relay;
using Chat.Gateway.Routing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// Builds each accepted client connection's pipeline: admission (limits, handshake budget, idle
/// timeout), then TLS (unless the listener is plain), then the auth router, which later replaces
/// itself with the relay.
/// <code>
///   [admission] -> [tls] -> auth (first frame) ==> [admission] -> [tls] -> relay-up (frames to the session's stream)
/// </code>
/// A connection the admission handler refuses is closed in its ChannelActive; the handlers behind it
/// never see it (the TLS handshake does not start).
/// </summary>
internal sealed class ClientChannelInitializer(
    RelayContext context,
    TokenVerifier verifier,
    PacketCodec codec,
    Func<IChannelHandler>? tlsHandlerFactory,
    Func<IChannelHandler>? admissionHandlerFactory) : ChannelInitializer<IChannel>
{
    protected override void InitChannel(IChannel channel)
    {
        context.Registry.Add(channel);
        context.Metrics.ConnectionOpened();
        _ = channel.CloseCompletion.ContinueWith(
            _ =>
            {
                context.Registry.Remove(channel);
                context.Metrics.ConnectionClosed();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        if (admissionHandlerFactory is not null)
        {
            channel.Pipeline.AddLast("admission", admissionHandlerFactory());
        }

        if (tlsHandlerFactory is not null)
        {
            channel.Pipeline.AddLast("tls", tlsHandlerFactory());
        }

        channel.Pipeline.AddLast("auth", new AuthRouter(context, verifier, codec));
    }
}
