using System.Net;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.ChatService.Transport;

/// <summary>
/// The plain TCP listener for clients without a gateway (development, tests, benchmarks): each
/// accepted socket gets the chat pipeline directly.
/// </summary>
internal static class DirectListener
{
    /// <summary>Outbound bytes above which a client socket reports unwritable (the device backlog starts counting).</summary>
    public const int WriteHighWaterMark = 64 * 1024;

    public static Task<IChannel> BindAsync(IEventLoopGroup acceptors, IEventLoopGroup workers, IPEndPoint address, IChannelHandler initializer) =>
        new ServerBootstrap()
            .Group(acceptors, workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 1024)
            .Option(ChannelOption.SoReuseaddr, true)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.WriteBufferHighWaterMark, WriteHighWaterMark)
            .ChildOption(ChannelOption.WriteBufferLowWaterMark, WriteHighWaterMark / 2)
            .ChildHandler(initializer)
            .BindAsync(address);
}
