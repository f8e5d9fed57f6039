using System.Collections.Concurrent;
using Chat.Multiplexing.Framing;
using Chat.Multiplexing.Session;
using Chat.Protocol.Multiplexing;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Multiplexing;

/// <summary>
/// The shard side: give it to a <c>ServerBootstrap</c> as the child handler of the mux port. Each
/// accepted connection gets the mux decoder and session; each accepted stream gets a pipeline from
/// <paramref name="streamInitializer"/> (the same chat pipeline as a direct TCP connection; it must
/// be sharable, e.g. a <c>ChannelInitializer</c>). <paramref name="admission"/>, when given, runs on
/// the event loop for every Open before any pipeline is built (e.g. NotOwner for a couple the shard
/// does not own at the gateway's epoch); keep it fast and non-blocking.
/// </summary>
public sealed class MuxServerInitializer : ChannelInitializer<IChannel>
{
    private readonly ConcurrentDictionary<MuxSession, byte> _sessions = new();
    private readonly MuxServerOptions _options;
    private readonly ILogger _logger;
    private readonly MuxServerContext _context;

    /// <summary>Creates the initializer; the options are validated here.</summary>
    /// <exception cref="ArgumentException">Invalid options, or a stream initializer that is not sharable.</exception>
    public MuxServerInitializer(
        MuxServerOptions options,
        IChannelHandler streamInitializer,
        Func<MuxOpenRequest, MuxAdmission>? admission = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(streamInitializer);
        options.Validate();
        if (streamInitializer is ChannelHandlerAdapter { IsSharable: false })
        {
            throw new ArgumentException("the stream initializer is added to every stream's pipeline and must be sharable", nameof(streamInitializer));
        }

        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Chat.Multiplexing.MuxServer");
        _context = new MuxServerContext(options, streamInitializer, admission, OnSessionActiveChanged);
    }

    /// <summary>Live mux connections (handshaking or established).</summary>
    public int ConnectionCount => _sessions.Count;

    /// <summary>Streams open over all connections.</summary>
    public int StreamCount => _sessions.Keys.Sum(s => s.StreamCount);

    /// <summary>
    /// Sends GoAway on every established connection: Draining stops new streams (existing ones go on
    /// until the shard resets them, e.g. with Moved); other reasons close the connections.
    /// </summary>
    public Task GoAwayAsync(GoAwayReason reason, string text) =>
        Task.WhenAll(_sessions.Keys.Select(session => EventLoopWork.RunAsync(session.Channel, () => session.SendGoAway(reason, text))));

    /// <inheritdoc />
    protected override void InitChannel(IChannel channel)
    {
        channel.Configuration.SetOption(ChannelOption.TcpNodelay, true);
        channel.Pipeline
            .AddLast("mux-decoder", new MuxFrameDecoder(_options.MaxFramePayload))
            .AddLast("mux-session", MuxSession.ForServer(_context, _logger));
    }

    private void OnSessionActiveChanged(MuxSession session, bool active)
    {
        if (active)
        {
            _sessions.TryAdd(session, 0);
        }
        else
        {
            _sessions.TryRemove(session, out _);
        }
    }
}
