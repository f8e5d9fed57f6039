using System.Collections.Concurrent;
using System.Net;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.Tests.Gateway.Support;

/// <summary>
/// The shard end of the real mux (Chat.Multiplexing's server) with an echo pipeline per stream, in
/// this process: the peer for the relay's component tests. Every stream echoes its bytes (the Auth
/// frame first), so the client sees exactly what the relay carried. Process-level tests use the
/// real shard process instead.
/// </summary>
public sealed class MuxTestShard : IAsyncDisposable
{
    private readonly IChannel _listener;
    private readonly ConcurrentQueue<IChannel> _connections;

    private MuxTestShard(string id, IChannel listener, ConcurrentQueue<IChannel> connections, ConcurrentQueue<MuxStreamChannel> streams)
    {
        Id = id;
        _listener = listener;
        _connections = connections;
        Streams = streams;
    }

    public string Id { get; }

    public int Port => ((IPEndPoint)_listener.LocalAddress).Port;


    /// <summary>Every stream accepted so far, in order.</summary>
    public ConcurrentQueue<MuxStreamChannel> Streams { get; }

    /// <summary>Decides Opens (default: accept all); tests swap it to answer NotOwner.</summary>
    public Func<MuxOpenRequest, MuxAdmission> Admission { get; set; } = _ => MuxAdmission.Accept;

    public int OpenConnections => _connections.Count(c => c.Active);

    public static async Task<MuxTestShard> StartAsync(string id, MuxKeyRing keys, IEventLoopGroup group)
    {
        var connections = new ConcurrentQueue<IChannel>();
        var streams = new ConcurrentQueue<MuxStreamChannel>();
        MuxTestShard? shard = null;
        var mux = new MuxServerInitializer(
            new MuxServerOptions { ShardId = id, Keys = keys, PingInterval = TimeSpan.Zero },
            new ActionChannelInitializer<IChannel>(stream =>
            {
                streams.Enqueue((MuxStreamChannel)stream);
                stream.Pipeline.AddLast(new EchoHandler());
            }),
            request => shard?.Admission(request) ?? MuxAdmission.Accept,
            TestLog.Factory());
        var bootstrap = new ServerBootstrap()
            .Group(group, group)
            .Channel<TcpServerSocketChannel>()
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new ActionChannelInitializer<IChannel>(channel =>
            {
                connections.Enqueue(channel);
                channel.Pipeline.AddLast(mux);
            }));
        var listener = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        shard = new MuxTestShard(id, listener, connections, streams);
        return shard;
    }

    /// <summary>Drops every mux connection (as a crash would, seen from the gateway) and stops listening.</summary>
    public async Task KillAsync()
    {
        await _listener.CloseAsync();
        await Task.WhenAll(_connections.Select(c => c.CloseAsync()));
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>
    /// Echoes every read on its stream, and stops reading while its echoes cannot be sent (as a
    /// well-behaved shard does), so back-pressure reaches the gateway instead of a SlowConsumer reset.
    /// </summary>
    private sealed class EchoHandler : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message) => _ = context.WriteAsync(message);

        public override void ChannelReadComplete(IChannelHandlerContext context)
        {
            context.Flush();
            if (!context.Channel.IsWritable)
            {
                context.Channel.Configuration.AutoRead = false;
            }
        }

        public override void ChannelWritabilityChanged(IChannelHandlerContext context)
        {
            if (context.Channel.IsWritable)
            {
                context.Channel.Configuration.AutoRead = true;
            }

            context.FireChannelWritabilityChanged();
        }
    }
}
