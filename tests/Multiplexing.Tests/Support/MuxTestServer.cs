using System.Collections.Concurrent;
using System.Net;
using Chat.Multiplexing;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// A real shard-side mux listener on 127.0.0.1 port 0 (DotNetty sockets, real event loops). Each
/// accepted stream gets the pipeline <c>streamHandler</c> builds; the handlers are kept for inspection.
/// </summary>
public sealed class MuxTestServer : IAsyncDisposable
{
    private IChannel? _listener;

    private MuxTestServer(MuxServerOptions options, MuxServerInitializer initializer)
    {
        Options = options;
        Initializer = initializer;
    }

    public MuxServerOptions Options { get; }

    public MuxServerInitializer Initializer { get; }

    // The listener may be a dual-mode socket reporting an IPv4-mapped address; tests dial plain IPv4.
    public IPEndPoint EndPoint => new(IPAddress.Loopback, ((IPEndPoint)_listener!.LocalAddress).Port);

    /// <summary>The handlers given to accepted streams, in accept order.</summary>
    public ConcurrentQueue<IChannelHandler> StreamHandlers { get; } = new();

    public static Task<MuxTestServer> StartAsync(
        Func<IChannelHandler> streamHandler,
        Action<MuxServerOptions>? configure = null,
        Func<MuxOpenRequest, MuxAdmission>? admission = null) =>
        StartAsync(_ => streamHandler(), configure, admission);

    /// <summary>Starts a server whose stream handler may depend on the stream (e.g. on its couple id).</summary>
    public static async Task<MuxTestServer> StartAsync(
        Func<MuxStreamChannel, IChannelHandler> streamHandler,
        Action<MuxServerOptions>? configure = null,
        Func<MuxOpenRequest, MuxAdmission>? admission = null,
        Action<ServerBootstrap>? configureBootstrap = null)
    {
        var options = new MuxServerOptions { ShardId = "shard-a", Keys = TestKeys.Cluster() };
        configure?.Invoke(options);
        MuxTestServer? server = null;
        var streamInitializer = new ActionChannelInitializer<IChannel>(channel =>
        {
            var handler = streamHandler((MuxStreamChannel)channel);
            server!.StreamHandlers.Enqueue(handler);
            channel.Pipeline.AddLast(handler);
        });
        server = new MuxTestServer(options, new MuxServerInitializer(options, streamInitializer, admission));
        var bootstrap = new ServerBootstrap()
            .Group(TestLoops.ServerBoss, TestLoops.ServerWorkers)
            .Channel<TcpServerSocketChannel>()
            .ChildHandler(server.Initializer);
        configureBootstrap?.Invoke(bootstrap);
        server._listener = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).Within();
        return server;
    }

    public static Task<MuxTestServer> StartEchoAsync(Action<MuxServerOptions>? configure = null, Func<MuxOpenRequest, MuxAdmission>? admission = null) =>
        StartAsync(() => new EchoHandler(), configure, admission);

    public T Handler<T>(int index) where T : class, IChannelHandler => (T)StreamHandlers.ElementAt(index);

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.CloseAsync().Within();
        }

        // Accepted connections outlive the listener: close them (GoAway Shutdown closes each one).
        await Initializer.GoAwayAsync(Chat.Protocol.Multiplexing.GoAwayReason.Shutdown, "test over").Within();
    }
}
