using System.Collections.Concurrent;
using System.Net;
using Chat.Multiplexing;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.ChatService.Transport;

/// <summary>
/// The listener for gateways' mux connections: each accepted socket gets the mux session
/// (<see cref="MuxServerInitializer"/>: cluster-key handshake, streams, credit, pings); each
/// accepted stream gets the same chat pipeline as a direct connection. It keeps the accepted
/// connections so that a stop can close them before the event loops go (a closed connection tells
/// the gateway at once; a loop shutdown would leave it to time out).
/// </summary>
internal sealed class MuxListener(MuxServerInitializer mux)
{
    private readonly ConcurrentDictionary<IChannel, byte> _connections = new();

    public Task<IChannel> BindAsync(IEventLoopGroup acceptors, IEventLoopGroup workers, IPEndPoint address) =>
        new ServerBootstrap()
            .Group(acceptors, workers)
            .Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 128)
            .Option(ChannelOption.SoReuseaddr, true)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<IChannel>(Track))
            .BindAsync(address);

    /// <summary>Closes every mux connection (streams hear the connection loss); waits at most <paramref name="timeout"/>.</summary>
    public async Task CloseConnectionsAsync(TimeSpan timeout)
    {
        var closing = _connections.Keys.Select(c => c.CloseAsync()).ToArray();
        await Task.WhenAny(Task.WhenAll(closing), Task.Delay(timeout)).ConfigureAwait(false);
    }

    private void Track(IChannel channel)
    {
        _connections.TryAdd(channel, 0);
        channel.CloseCompletion.ContinueWith(closed => _connections.TryRemove(channel, out _), TaskScheduler.Default);
        channel.Pipeline.AddLast("mux", mux);
    }
}
