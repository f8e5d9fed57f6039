using System.Net;
using Chat.Multiplexing;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.ChatService.Transport;

/// <summary>
/// The listener for gateways' mux connections: each accepted socket gets the mux session
/// (<see cref="MuxServerInitializer"/>: cluster-key handshake, streams, credit, pings); each
/// accepted stream gets the same chat pipeline as a direct connection.
/// </summary>
internal static class MuxListener
{
    public static Task<IChannel> BindAsync(IEventLoopGroup acceptors, IEventLoopGroup workers, IPEndPoint address, MuxServerInitializer initializer) =>
        new ServerBootstrap()
            .Group(acceptors, workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 128)
            .Option(ChannelOption.SoReuseaddr, true)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(initializer)
            .BindAsync(address);
}
