using System.Net;
using System.Net.Sockets;
using Chat.Multiplexing.Framing;
using Chat.Multiplexing.Session;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Multiplexing;

/// <summary>The gateway side: connects and authenticates mux connections to shards.</summary>
public sealed class MuxClient
{
    private readonly MuxClientOptions _options;
    private readonly IEventLoopGroup _group;
    private readonly ILogger _logger;

    /// <summary>Creates a client; the options are validated here.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public MuxClient(MuxClientOptions options, IEventLoopGroup group, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(group);
        options.Validate();
        _options = options;
        _group = group;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chat.Multiplexing.MuxClient");
    }

    /// <summary>
    /// Connects to a shard's mux port and runs the handshake. <paramref name="expectedShardId"/>, when
    /// given, must match the shard's proven id (the address came from ZooKeeper and may be stale).
    /// Failures are statuses; only cancellation throws.
    /// </summary>
    /// <exception cref="OperationCanceledException">Canceled; a half-open connection is closed.</exception>
    public async ValueTask<MuxConnectResult> ConnectAsync(EndPoint endPoint, string? expectedShardId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var session = MuxSession.ForClient(_options, expectedShardId, _logger);
        var bootstrap = new Bootstrap()
            .Group(_group)
            .Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Option(ChannelOption.ConnectTimeout, _options.ConnectTimeout)
            .Handler(new ActionChannelInitializer<IChannel>(channel =>
                channel.Pipeline.AddLast("mux-decoder", new MuxFrameDecoder(_options.MaxFramePayload)).AddLast("mux-session", session)));

        IChannel channel;
        try
        {
            channel = await bootstrap.ConnectAsync(endPoint).WaitAsync(_options.ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or ConnectException or ConnectTimeoutException or TimeoutException or ChannelException)
        {
            var failed = new MuxConnectResult(MuxConnectStatus.ConnectFailed, null, ex.Message);
            MuxLog.ConnectFailed(_logger, endPoint.ToString() ?? "?", failed.Status, failed.Detail);
            return failed;
        }

        try
        {
            var result = await session.Connected.WaitAsync(cancellationToken);
            if (result.Status != MuxConnectStatus.Connected)
            {
                MuxLog.ConnectFailed(_logger, endPoint.ToString() ?? "?", result.Status, result.Detail);
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            _ = channel.CloseAsync();
            throw;
        }
    }
}
