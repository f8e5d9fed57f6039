using Chat.Multiplexing.Framing;
using Chat.Protocol.Multiplexing;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Multiplexing.Session;

/// <summary>
/// One end of a mux connection, written once for both the shard (server) and the gateway (client):
/// handshake, stream table, per-stream credit windows both ways, pings, GoAway. It sits after the
/// <see cref="MuxFrameDecoder"/> in the connection's pipeline and runs only on its event loop, so its
/// state needs no locks; other threads reach it through <c>EventLoop.Execute</c>.
/// </summary>
/// <remarks>
/// Errors: a frame that breaks the mux protocol (bad header, unparsable body, Data/Window/Reset for a
/// stream never opened, window overrun) closes the whole connection after a GoAway(ProtocolError);
/// the gateway reconnects. Frames for a stream that was opened and has since ended are ignored:
/// they may cross the Reset on the wire (as HTTP/2, RFC 9113 5.1).
/// </remarks>
internal sealed partial class MuxSession : ChannelHandlerAdapter
{
    private readonly MuxRole _role;
    private readonly MuxSessionOptions _options;
    private readonly ILogger _logger;
    private readonly MuxServerContext? _server;
    private readonly Dictionary<uint, MuxStreamChannel> _streams = [];
    private IChannelHandlerContext? _ctx;
    private MuxSessionState _state = MuxSessionState.Handshaking;
    private MuxSettings _peerSettings = new();
    private int _sendChunk;
    private uint _highestStreamId;
    private volatile int _streamCount;
    private volatile bool _acceptingStreams;
    private bool _goAwaySent;
    private bool _goAwayReceived;
    private MuxConnectionLossReason _lossReason = MuxConnectionLossReason.Closed;
    private string _lossDetail = "connection closed";
    private string _connectionId = "-";

    private MuxSession(MuxRole role, MuxSessionOptions options, ILogger logger, MuxServerContext? server, string? expectedShardId)
    {
        _role = role;
        _options = options;
        _logger = logger;
        _server = server;
        _expectedShardId = expectedShardId;
        _sendChunk = options.MaxDataPayload;
    }

    /// <summary>The peer's id once authenticated (gateway id on the shard, shard id on the gateway).</summary>
    public string PeerId { get; private set; } = "";

    /// <summary>Streams open now; readable from any thread.</summary>
    public int StreamCount => _streamCount;

    /// <summary>True while new streams may be opened (established, no GoAway either way); readable from any thread.</summary>
    public bool AcceptingStreams => _acceptingStreams;

    /// <summary>The connection's channel once the session is in its pipeline.</summary>
    public IChannel? Channel => _ctx?.Channel;

    private IChannelHandlerContext Ctx => _ctx ?? throw new InvalidOperationException("the mux session is not in a pipeline");

    public static MuxSession ForServer(MuxServerContext server, ILogger logger) =>
        new(MuxRole.Server, server.Options, logger, server, null);

    public static MuxSession ForClient(MuxClientOptions options, string? expectedShardId, ILogger logger) =>
        new(MuxRole.Client, options, logger, null, expectedShardId);

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _ctx = context;
        _connectionId = context.Channel.Id.AsShortText();
        if (context.Channel.Active)
        {
            Start();
        }
    }

    public override void ChannelActive(IChannelHandlerContext context)
    {
        Start();
        context.FireChannelActive();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        _inReadLoop = true;
        switch (message)
        {
            case MuxFrame frame when _state is MuxSessionState.Closing or MuxSessionState.Closed:
                frame.Payload.Release();
                break;
            case MuxFrame frame when _state == MuxSessionState.Handshaking:
                HandleHandshakeFrame(frame);
                break;
            case MuxFrame frame:
                HandleFrame(frame);
                break;
            case MuxFrameError error:
                FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"bad frame header: {error.Status}");
                break;
            default:
                ReferenceCountUtil.Release(message);
                break;
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context)
    {
        // Streams that got reads during this read loop hear ReadComplete once; their writes and the
        // session's own frames then go out in one flush.
        for (var i = 0; i < _readCompleteList.Count; i++)
        {
            var stream = _readCompleteList[i];
            stream.InReadCompleteList = false;
            stream.FireReadCompleteIfOwed();
        }

        _readCompleteList.Clear();
        _inReadLoop = false;
        if (_flushPending)
        {
            _flushPending = false;
            context.Flush();
        }

        context.FireChannelReadComplete();
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (context.Channel.IsWritable && _waitingForParent.Count > 0 && !_resumeScheduled)
        {
            // Never write from inside this event. DotNetty 0.7.6 fires it synchronously from
            // TcpSocketChannel's write completion (FinishWrite -> RemoveBytes); a write and flush
            // made there re-enters DoWrite mid-RemoveBytes and corrupts the outbound byte stream
            // (frames replayed and lost; reproduced without the mux, see docs/multiplexing.md).
            _resumeScheduled = true;
            context.Executor.Execute(static s => ((MuxSession)s).ResumeStreamsWaitingForParent(), this);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        var wasEstablished = _state == MuxSessionState.Established;
        _state = MuxSessionState.Closed;
        _acceptingStreams = false;
        CancelTimers();

        var lost = new MuxConnectionLostEvent(_lossReason, _lossDetail);
        var streams = _streams.Values.ToArray();
        foreach (var stream in streams)
        {
            stream.CloseForConnectionLoss(lost);
        }

        _streams.Clear();
        _streamCount = 0;
        _waitingForParent.Clear();
        if (wasEstablished || streams.Length > 0)
        {
            MuxLog.Closed(_logger, _connectionId, _lossReason, _lossDetail, streams.Length);
        }

        CompleteClientOnClose();
        _server?.OnSessionActiveChanged(this, false);
        context.FireChannelInactive();
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        // Socket errors (reset by peer and the like) end up here; the connection is done either way.
        MuxLog.IoError(_logger, exception, _connectionId);
        CloseConnection(MuxConnectionLossReason.Closed, exception.Message);
    }

    /// <summary>Closes the connection from outside the protocol (host shutdown, tests).</summary>
    public void CloseConnection(MuxConnectionLossReason reason, string detail)
    {
        if (_state is MuxSessionState.Closing or MuxSessionState.Closed)
        {
            return;
        }

        _state = MuxSessionState.Closing;
        _acceptingStreams = false;
        _lossReason = reason;
        _lossDetail = detail;
        Ctx.CloseAsync();
    }

    private void Start()
    {
        if (_handshakeTimer is not null || _state != MuxSessionState.Handshaking)
        {
            return;
        }

        _handshakeTimer = Ctx.Executor.Schedule(static s => ((MuxSession)s).OnHandshakeTimeout(), this, _options.HandshakeTimeout);
        _server?.OnSessionActiveChanged(this, true);
        if (_role == MuxRole.Server)
        {
            SendChallenge();
        }
    }

    private void HandleFrame(MuxFrame frame)
    {
        var header = frame.Header;
        if (header.Type == MuxFrameType.Data)
        {
            // Ownership of the payload passes to the stream (or is released inside).
            OnData(header.StreamId, frame.Payload);
            return;
        }

        try
        {
            var payload = frame.Payload.GetIoBuffer();
            switch (header.Type)
            {
                case MuxFrameType.Open:
                    OnOpen(header, payload);
                    break;
                case MuxFrameType.Window:
                    OnWindow(header.StreamId, payload);
                    break;
                case MuxFrameType.Reset:
                    OnReset(header.StreamId, payload);
                    break;
                case MuxFrameType.Ping:
                    OnPing(payload);
                    break;
                case MuxFrameType.Pong:
                    OnPong(payload);
                    break;
                case MuxFrameType.GoAway:
                    OnGoAway(payload);
                    break;
                case MuxFrameType.Settings:
                    OnSettings(payload);
                    break;
                default:
                    FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"{header.Type} after the handshake");
                    break;
            }
        }
        finally
        {
            frame.Payload.Release();
        }
    }

    /// <summary>
    /// The peer broke the protocol (or a timer fired): tell it why with a GoAway if the socket still
    /// takes writes, then close. Streams hear <see cref="MuxConnectionLostEvent"/> on ChannelInactive.
    /// </summary>
    private void FailConnection(MuxConnectionLossReason reason, GoAwayReason goAwayReason, string detail)
    {
        if (_state is MuxSessionState.Closing or MuxSessionState.Closed)
        {
            return;
        }

        if (reason == MuxConnectionLossReason.ProtocolError)
        {
            MuxLog.ProtocolError(_logger, _connectionId, detail);
        }

        _state = MuxSessionState.Closing;
        _acceptingStreams = false;
        _lossReason = reason;
        _lossDetail = detail;
        CancelTimers();
        var ctx = Ctx;
        if (!ctx.Channel.Active)
        {
            ctx.CloseAsync();
            return;
        }

        var goAway = new MuxGoAway { LastStreamId = _role == MuxRole.Server ? _highestStreamId : 0, Reason = goAwayReason, Text = detail };
        var write = ctx.WriteAndFlushAsync(MuxFrameWriter.Control(ctx.Allocator, MuxFrameType.GoAway, MuxFrameFlags.None, 0, goAway));

        // Close once the GoAway is on the wire, or after a short grace if the peer is not reading.
        write.ContinueWith(
            static (t, c) =>
            {
                // The peer may already be gone (broken pipe): the write's failure is expected here.
                _ = t.Exception;
                TaskObserver.ObserveFailure(((IChannelHandlerContext)c!).CloseAsync());
            },
            ctx,
            TaskScheduler.Default);
        ctx.Executor.Schedule(static c => ((IChannelHandlerContext)c).CloseAsync(), ctx, TimeSpan.FromSeconds(1));
    }

    private void CancelTimers()
    {
        _handshakeTimer?.Cancel();
        _pingTimer?.Cancel();
        _pingTimeoutTimer?.Cancel();
    }

    private string? RemoteAddress => Ctx.Channel.RemoteAddress?.ToString();

    private IScheduledTask? _handshakeTimer;
}
