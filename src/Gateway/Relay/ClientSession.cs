using Chat.Gateway.Diagnostics;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Relay;

/// <summary>
/// One authenticated client connection and its current mux stream: relays whole frames both ways,
/// holds client frames (bounded) while the stream is being (re)opened, and re-homes the stream
/// when the shard moves the couple or becomes unreachable, without closing the client.
/// </summary>
/// <remarks>
/// <code>
///  client socket --(UpstreamRelayHandler: slice frames)--> session --WriteAsync--> stream (mux loop)
///  client socket <--WriteAsync-- (DownstreamRelayHandler: slice frames) <--Data-- stream
/// </code>
/// Threads: client events arrive on the client's event loop, stream events on the mux connection's,
/// the routing loop runs on the thread pool. Session state is guarded by one lock taken briefly per
/// batch of frames (uncontended on the hot path); channel writes made under it are only enqueued,
/// so their order is the lock order. Downstream frames do not touch session state at all.
/// </remarks>
internal sealed partial class ClientSession
{
    private readonly RelayContext _context;
    private readonly IChannel _client;
    private readonly byte[] _authFrame;
    private readonly Lock _gate = new();
    private readonly Queue<IByteBuffer> _held = new();
    private readonly CancellationTokenSource _closing = new();
    private SessionState _state = SessionState.Routing;
    private DownstreamRelayHandler? _link;
    private int _heldBytes;
    private long _pendingUpstream;
    private bool _pausedForHeld;
    private bool _pausedForPending;
    private bool _flushOwed;
    private int _attempts;
    private bool _everAccepted;

    public ClientSession(RelayContext context, IChannel client, TokenClaims claims, byte[] authFrame)
    {
        _context = context;
        _client = client;
        _authFrame = authFrame;
        Claims = claims;
        ConnectionId = client.Id.AsShortText();
        ClientAddress = client.RemoteAddress?.ToString() ?? "";
    }

    public string ConnectionId { get; }

    public TokenClaims Claims { get; }

    public string CoupleId => Claims.CoupleId;

    public string ClientAddress { get; }

    public IChannel Client => _client;

    public SessionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The shard the current stream is open at; null while routing.</summary>
    public string? ShardId
    {
        get
        {
            lock (_gate)
            {
                return _link is { Installed: true } link ? link.ShardId : null;
            }
        }
    }

    /// <summary>Client bytes held while the stream is being (re)opened.</summary>
    public int HeldBytes
    {
        get
        {
            lock (_gate)
            {
                return _heldBytes;
            }
        }
    }

    /// <summary>Starts routing: opens the first stream at the couple's owner.</summary>
    public void Start() => _ = Task.Run(() => RouteAsync(RouteCause.Initial, null, 0));

    /// <summary>Tells the client why and closes it (drain deadline, shutdown).</summary>
    public void Close(ErrorCode code, string text) => GatewayPackets.WriteAndClose(_client, GatewayPackets.Error(code, text));

    /// <summary>Whole client frames (owned) from the client's pipeline.</summary>
    public void OnClientFrames(IByteBuffer frames)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case SessionState.Relaying when _link?.Stream is { } stream:
                    WriteUpstreamLocked(_link, stream, frames);
                    _flushOwed = true;
                    return;
                case SessionState.Routing or SessionState.Rehoming:
                    _held.Enqueue(frames);
                    _heldBytes += frames.ReadableBytes;
                    if (_heldBytes >= _context.Limits.MaxHeldBytesPerClient && !_pausedForHeld)
                    {
                        _pausedForHeld = true;
                        UpdateClientReadingLocked();
                    }

                    return;
                default:
                    frames.Release();
                    return;
            }
        }
    }

    /// <summary>The client's read burst ended: flush what it wrote into the stream.</summary>
    public void OnClientReadComplete()
    {
        lock (_gate)
        {
            if (_flushOwed && _state == SessionState.Relaying && _link?.Stream is { } stream)
            {
                _flushOwed = false;
                stream.Flush();
            }
        }
    }

    /// <summary>The client sent bytes that are not frames (oversized, empty): tell it and close.</summary>
    public void OnClientFrameError(FrameStatus status)
    {
        GatewayLog.ClientFrameError(_context.Logger, ConnectionId, status.ToString());
        GatewayPackets.WriteAndClose(_client, GatewayPackets.Error(status.ToErrorCode(), $"bad frame: {status}"));
    }

    /// <summary>The client connection closed: end the stream (Reset Closed) and drop held bytes.</summary>
    public void OnClientClosed()
    {
        DownstreamRelayHandler? link;
        lock (_gate)
        {
            if (_state == SessionState.Closed)
            {
                return;
            }

            _state = SessionState.Closed;
            link = _link;
            _link = null;
            ReleaseHeldLocked();
            if (link is { Installed: true })
            {
                _context.Metrics.StreamClosed();
            }
        }

        _closing.Cancel();
        _ = link?.Stream?.CloseAsync();
    }

    private void WriteUpstreamLocked(DownstreamRelayHandler link, IChannel stream, IByteBuffer frames)
    {
        var count = frames.ReadableBytes;
        _pendingUpstream += count;
        _context.Metrics.BytesUp(count);
        var written = stream.WriteAsync(frames);
        if (written.IsCompleted)
        {
            _pendingUpstream -= count;
        }
        else
        {
            // Runs inside the stream's write path on the mux loop: it only changes state and the
            // client's AutoRead, never writes (docs/multiplexing.md, write-completion rule).
            _ = written.ContinueWith(
                (_, state) => OnUpstreamWritten((DownstreamRelayHandler)state!, count),
                link,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        if (_pendingUpstream >= _context.Limits.MaxPendingUpstreamBytes && !_pausedForPending)
        {
            // The shard's window for this stream is used up (or its queue is long): stop reading this
            // client only; other streams on the same mux connection are not affected.
            _pausedForPending = true;
            UpdateClientReadingLocked();
        }
    }

    private void OnUpstreamWritten(DownstreamRelayHandler link, int count)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(link, _link))
            {
                return;
            }

            _pendingUpstream -= count;
            if (_pausedForPending && _pendingUpstream <= _context.Limits.MaxPendingUpstreamBytes / 2)
            {
                _pausedForPending = false;
                UpdateClientReadingLocked();
            }
        }
    }

    private void UpdateClientReadingLocked()
    {
        var read = !_pausedForHeld && !_pausedForPending && _state != SessionState.Closed;
        if (_client.Configuration.AutoRead != read)
        {
            _client.Configuration.AutoRead = read;
        }
    }

    private void ReleaseHeldLocked()
    {
        while (_held.TryDequeue(out var buffer))
        {
            buffer.Release();
        }

        _heldBytes = 0;
    }
}
