using Chat.Gateway.Diagnostics;
using Chat.Gateway.Relay;
using Chat.Gateway.Routing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// Builds each accepted client connection's pipeline: admission, then TLS (unless the listener is
/// plain), then the auth router, which later replaces itself with the relay.
/// <code>
///   [tls] -> auth (first frame) ==> [tls] -> relay-up (frames to the session's stream)
/// </code>
/// </summary>
internal sealed class ClientChannelInitializer(
    RelayContext context,
    TokenVerifier verifier,
    PacketCodec codec,
    Func<IChannelHandler>? tlsHandlerFactory,
    IClientAdmission admission) : ChannelInitializer<IChannel>
{
    protected override void InitChannel(IChannel channel)
    {
        var decision = admission.OnAccepted(channel);
        if (!decision.Admitted)
        {
            GatewayLog.AdmissionRefused(context.Logger, channel.Id.AsShortText(), channel.RemoteAddress?.ToString() ?? "?", decision.Reason ?? "refused");
            _ = channel.CloseAsync();
            return;
        }

        context.Registry.Add(channel);
        context.Metrics.ConnectionOpened();
        _ = channel.CloseCompletion.ContinueWith(
            _ =>
            {
                context.Registry.Remove(channel);
                context.Metrics.ConnectionClosed();
                admission.OnClosed(channel);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        if (tlsHandlerFactory is not null)
        {
            channel.Pipeline.AddLast("tls", tlsHandlerFactory());
        }

        channel.Pipeline.AddLast("auth", new AuthRouter(context, verifier, codec));
    }
}
