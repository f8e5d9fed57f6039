using Chat.ChatService.Diagnostics;
using Chat.ChatService.Transport;
using Chat.Protocol.Packets;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Chat;

/// <summary>
/// The chat end of one client connection, a direct TCP socket or a mux stream alike: the auth state
/// machine (deadline, token, ownership, joining the couple), then handing packets to the couple's
/// session. Runs on the connection's event loop; never blocks it.
/// </summary>
/// <remarks>
/// <code>
///  AwaitingAuth ──Auth──> Authenticating ──(token ok, owner, session attached)──> Authenticated
///       │ other packet, deadline         │ bad token, NotOwner, store down             │ second Auth: Error, stays
///       └─────────────> Ended &lt;──────────┴──────────────────────────────── closed ───┘
/// </code>
/// </remarks>
internal sealed partial class ChatConnectionHandler : ChannelHandlerAdapter, IAttachObserver
{
    // Packets a client may pipeline behind Auth before AuthOk (reading is paused meanwhile; this
    // only bounds what one socket read had already decoded).
    private const int MaxQueuedBeforeAuth = 64;

    private readonly ChatServices _services;
    private readonly CoupleRegistry _registry;
    private readonly Queue<ClientPacket> _queued = new();
    private IChannelHandlerContext? _context;
    private ChannelConnection? _connection;
    private IScheduledTask? _authDeadline;
    private DeviceLink? _device;
    private ConnectionState _state = ConnectionState.AwaitingAuth;
    private bool _counted;

    public ChatConnectionHandler(ChatServices services, CoupleRegistry registry)
    {
        _services = services;
        _registry = registry;
    }

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _context = context;
        var channel = context.Channel;
        var route = StreamEnds.RouteOf(channel);
        var name = route is null ? $"direct {channel.RemoteAddress}" : $"stream {channel.Id.AsShortText()} from {channel.RemoteAddress}";
        _connection = new ChannelConnection(channel, route, name);
        if (channel.Active)
        {
            Start(context);
        }
    }

    public override void ChannelActive(IChannelHandlerContext context)
    {
        Start(context);
        context.FireChannelActive();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        var wasAuthenticated = _state == ConnectionState.Authenticated;
        _state = ConnectionState.Ended;
        _authDeadline?.Cancel();
        if (_counted)
        {
            _counted = false;
            _services.Metrics.ConnectionClosed(_connection!.Route is not null);
        }

        if (wasAuthenticated && _device is { } device)
        {
            device.Session.Execute(() => device.Session.Detach(device));
        }

        context.FireChannelInactive();
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (context.Channel.IsWritable)
        {
            _device?.OnWritable();
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case ClientPacket packet:
                OnPacket(packet);
                break;
            case FrameDecodeFailure failure:
                OnBadFrame(failure);
                break;
            default:
                context.FireChannelRead(message);
                break;
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        ShardLog.ConnectionFault(_services.Logger, _connection?.Name ?? "?", exception);
        End(EndReason.ProtocolError, new Error { Code = ErrorCode.Internal, Text = "connection fault" });
    }

    private void Start(IChannelHandlerContext context)
    {
        if (_counted || _state != ConnectionState.AwaitingAuth)
        {
            return;
        }

        _counted = true;
        _services.Metrics.ConnectionOpened(_connection!.Route is not null);
        _authDeadline = context.Executor.Schedule(OnAuthDeadline, _services.Limits.AuthTimeout);
    }

    private void OnAuthDeadline()
    {
        if (_state is ConnectionState.AwaitingAuth or ConnectionState.Authenticating)
        {
            ShardLog.AuthTimeout(_services.Logger, _connection!.Name);
            End(EndReason.ProtocolError, new Error { Code = ErrorCode.AuthRequired, Text = "no Auth within the deadline" });
        }
    }

    private void OnPacket(ClientPacket packet)
    {
        switch (_state)
        {
            case ConnectionState.AwaitingAuth:
                if (packet.Kind == PacketKind.Auth)
                {
                    StartAuth(packet.Auth!);
                }
                else
                {
                    End(EndReason.ProtocolError, new Error { Code = ErrorCode.AuthRequired, Text = "the first packet must be Auth" });
                }

                break;
            case ConnectionState.Authenticating:
                if (_queued.Count >= MaxQueuedBeforeAuth)
                {
                    End(EndReason.ProtocolError, new Error { Code = ErrorCode.ProtocolError, Text = "too many packets before AuthOk" });
                }
                else
                {
                    _queued.Enqueue(packet);
                }

                break;
            case ConnectionState.Authenticated:
                OnAuthenticatedPacket(packet);
                break;
            default:
                break;
        }
    }

    private void OnAuthenticatedPacket(ClientPacket packet)
    {
        switch (packet.Kind)
        {
            case PacketKind.Auth:
                SendError(ErrorCode.AlreadyAuthenticated, "already authenticated");
                break;
            case PacketKind.Ping:
                _connection!.Send(new Pong { Nonce = packet.Ping!.Nonce });
                break;
            case PacketKind.Pong:
                break;
            default:
                _device!.Post(packet);
                break;
        }
    }

    private void OnBadFrame(FrameDecodeFailure failure)
    {
        var error = new Error { Code = failure.Status.ToErrorCode(), Text = $"bad frame: {failure.Status}" };
        if (failure.Status.ClosesConnection())
        {
            ShardLog.BadFrame(_services.Logger, _connection!.Name, failure.Status);
            End(EndReason.ProtocolError, error);
        }
        else if (_state != ConnectionState.Ended)
        {
            SendError(error.Code, error.Text);
        }
    }

    private void SendError(ErrorCode code, string text)
    {
        _services.Metrics.ErrorSent(ErrorNames.Of(code));
        _connection!.Send(new Error { Code = code, Text = text });
    }

    private void End(EndReason reason, Error? error, long epoch = 0)
    {
        if (_state == ConnectionState.Ended)
        {
            return;
        }

        var wasAuthenticated = _state == ConnectionState.Authenticated;
        _state = ConnectionState.Ended;
        _authDeadline?.Cancel();
        _queued.Clear();
        if (error is not null)
        {
            _services.Metrics.ErrorSent(ErrorNames.Of(error.Code));
        }

        _services.Metrics.Ended(EndReasonNames.Of(reason));
        if (wasAuthenticated && _device is { } device)
        {
            device.Session.Execute(() => device.Session.Detach(device));
        }

        _connection!.End(reason, error, epoch);
    }
}
