using System.Buffers;
using System.Net;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Admission;

/// <summary>
/// First handler of a client channel (before TLS). In order:
/// <list type="number">
/// <item>at ChannelActive, asks the <see cref="AdmissionController"/> for a connection slot; a
/// refused connection is closed at once and never seen by the handlers behind (no ChannelActive,
/// no reads, no ChannelInactive);</item>
/// <item>holds the first bytes until the first TLS record is complete (at most one record,
/// 16 KiB + 5), classifies the ClientHello (<see cref="ClientHelloClassifier"/>) and takes from the
/// handshake budget, so a refused handshake costs no key exchange; then passes the bytes on;</item>
/// <item>closes the connection after <see cref="AdmissionOptions.IdleTimeout"/> without a byte in
/// either direction.</item>
/// </list>
/// Not sharable: one per channel, from <see cref="AdmissionController.CreateHandler"/>.
/// </summary>
internal sealed class AdmissionHandler : ChannelDuplexHandler
{
    private readonly AdmissionController _controller;
    private readonly TimeSpan _idleTimeout;
    private IChannelHandlerContext? _context;
    private IPAddress? _address;
    private bool _admitted;
    private bool _released;
    private bool _handshakeDecided;
    private IByteBuffer? _pending;
    private long _lastActivity;
    private System.Threading.ITimer? _idleTimer;

    public AdmissionHandler(AdmissionController controller)
    {
        _controller = controller;
        _idleTimeout = controller.Options.IdleTimeout;
    }

    public override bool IsSharable => false;

    public override void ChannelActive(IChannelHandlerContext context)
    {
        _context = context;
        _address = (context.Channel.RemoteAddress as IPEndPoint)?.Address;
        var decision = _controller.TryAdmit(_address);
        if (decision != AdmissionDecision.Admitted)
        {
            AdmissionLog.ConnectionRefused(_controller.Logger, context.Channel.Id, _address, decision);
            context.CloseAsync();
            return;
        }

        _admitted = true;
        _controller.Track(context.Channel);
        Touch();
        if (_idleTimeout > TimeSpan.Zero)
        {
            _idleTimer = _controller.Time.CreateTimer(static state => ((AdmissionHandler)state!).OnIdleTimer(), this, _idleTimeout, Timeout.InfiniteTimeSpan);
        }

        context.FireChannelActive();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (!_admitted)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        Touch();
        if (_handshakeDecided || message is not IByteBuffer bytes)
        {
            context.FireChannelRead(message);
            return;
        }

        if (_pending is null)
        {
            _pending = bytes;
        }
        else
        {
            // Rare: the first record came in pieces. Bounded: once a whole record's worth is held,
            // the classification below decides.
            var merged = context.Allocator.Buffer(_pending.ReadableBytes + bytes.ReadableBytes);
            merged.WriteBytes(_pending);
            merged.WriteBytes(bytes);
            _pending.Release();
            bytes.Release();
            _pending = merged;
        }

        var kind = Classify(_pending);
        if (kind == ClientHelloClass.Incomplete)
        {
            if (!context.Channel.Configuration.AutoRead)
            {
                context.Read();
            }

            return;
        }

        _handshakeDecided = true;
        var pending = _pending;
        _pending = null;
        var handshake = kind == ClientHelloClass.Resumption ? HandshakeKind.Resumption : HandshakeKind.Full;
        if (kind != ClientHelloClass.NotAClientHello && !_controller.TryAdmitHandshake(handshake))
        {
            AdmissionLog.HandshakeRefused(_controller.Logger, context.Channel.Id, handshake);
            pending.Release();
            context.CloseAsync();
            return;
        }

        context.FireChannelRead(pending);
    }

    public override void ChannelReadComplete(IChannelHandlerContext context)
    {
        // While the first record is held there is nothing for the handlers behind to complete.
        if (_admitted && _handshakeDecided)
        {
            context.FireChannelReadComplete();
        }
    }

    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        Touch();
        return context.WriteAsync(message);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        if (!_admitted)
        {
            return;
        }

        Release(context.Channel);
        context.FireChannelInactive();
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        if (_admitted)
        {
            context.FireExceptionCaught(exception);
        }

        // A refused connection is closing already; nothing behind us knows it.
    }

    public override void HandlerRemoved(IChannelHandlerContext context)
    {
        if (_admitted)
        {
            Release(context.Channel);
        }
    }

    private static ClientHelloClass Classify(IByteBuffer buffer)
    {
        var length = Math.Min(buffer.ReadableBytes, ClientHelloClassifier.MaxBytesNeeded);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.GetBytes(buffer.ReaderIndex, copy, 0, length);
            var kind = ClientHelloClassifier.Classify(copy.AsSpan(0, length));

            // A full record's worth that still reads as incomplete cannot be TLS.
            return kind == ClientHelloClass.Incomplete && length >= ClientHelloClassifier.MaxBytesNeeded ? ClientHelloClass.NotAClientHello : kind;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private void Touch() => _lastActivity = _controller.Time.GetTimestamp();

    private void Release(IChannel channel)
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _controller.Release(_address);
        _controller.Untrack(channel);
        _idleTimer?.Dispose();
        _pending?.Release();
        _pending = null;
    }

    /// <summary>Timer thread: check on the channel's event loop, where the activity stamp is written.</summary>
    private void OnIdleTimer()
    {
        if (_context is { } context && !_released)
        {
            context.Channel.EventLoop.Execute(CheckIdle);
        }
    }

    private void CheckIdle()
    {
        if (_released || _context is not { } context || !context.Channel.Active)
        {
            return;
        }

        var idle = _controller.Time.GetElapsedTime(_lastActivity);
        if (idle >= _idleTimeout)
        {
            _controller.Metrics.IdleClosed();
            AdmissionLog.IdleClosed(_controller.Logger, context.Channel.Id, idle);
            context.CloseAsync();
            return;
        }

        _idleTimer?.Change(_idleTimeout - idle, Timeout.InfiniteTimeSpan);
    }
}
