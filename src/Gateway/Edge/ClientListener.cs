using System.Net;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Lifecycle;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Edge;

/// <summary>The client-facing TCP listener (DotNetty ServerBootstrap); TLS or plain is decided by the initializer.</summary>
internal sealed class ClientListener : IClientListener
{
    private readonly IChannel _channel;
    private readonly ILogger _logger;
    private int _stopped;

    private ClientListener(IChannel channel, ILogger logger)
    {
        _channel = channel;
        _logger = logger;
    }

    public IPEndPoint LocalEndPoint => _channel.LocalAddress is IPEndPoint { Address.IsIPv4MappedToIPv6: true } mapped
        ? new IPEndPoint(mapped.Address.MapToIPv4(), mapped.Port)
        : (IPEndPoint)_channel.LocalAddress;

    public bool IsAccepting => Volatile.Read(ref _stopped) == 0 && _channel.Active;

    public static async Task<ClientListener> BindAsync(
        IEventLoopGroup acceptors, IEventLoopGroup workers, IPEndPoint endPoint, IChannelHandler initializer, bool tls, ILogger logger)
    {
        var bootstrap = new ServerBootstrap()
            .Group(acceptors, workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 4096)
            .Option(ChannelOption.SoReuseaddr, true)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.SoKeepalive, true)
            .ChildHandler(initializer);
        var channel = await bootstrap.BindAsync(endPoint);
        var listener = new ClientListener(channel, logger);
        GatewayLog.Listening(logger, listener.LocalEndPoint.ToString(), tls ? "TLS" : "plain TCP");
        return listener;
    }

    /// <summary>Stops accepting new connections (drain); open ones stay.</summary>
    public async Task StopAcceptingAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _channel.CloseAsync().WaitAsync(cancellationToken);
        GatewayLog.StoppedAccepting(_logger);
    }
}
