using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Chat.Gateway.Tls.OpenSsl.Interop;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// TLS for one connection with OpenSSL over memory BIOs; first in the pipeline. Push model, fully
/// synchronous on the channel's event loop: ciphertext from the socket goes into the input BIO and
/// SSL_do_handshake / SSL_read run at once; SSL_write runs inside WriteAsync; whatever OpenSSL
/// puts into the output BIO is written to the socket right after each call. No await, no task
/// per read: the error queue stays on the thread that made the call (FACTS.md). This file:
/// lifecycle, handshake, close; reads and writes are in the .Reader and .Writer files.
/// </summary>
/// <remarks>
/// <code>
///  socket -> ChannelRead(ciphertext) -> input BIO -> SSL_read -> FireChannelRead(plaintext)
///  WriteAsync(plaintext) -> SSL_write -> output BIO -> ctx.WriteAsync(ciphertext) -> socket
/// </code>
/// </remarks>
internal sealed partial class OpenSslTlsHandler : ChannelHandlerAdapter
{
    /// <summary>
    /// Ciphertext queued in the input BIO beyond which the connection is closed. With AutoRead off
    /// the socket stops after the read burst in progress, so only a peer ignoring the protocol (or
    /// a bug) gets near it. Same bound as the SslStream engine.
    /// </summary>
    internal const long MaxQueuedInputBytes = 2 * 1024 * 1024;

    private readonly OpenSslTlsEngine _engine;
    private readonly SafeSslContextHandle _context;
    private IChannelHandlerContext? _ctx;
    private SslConnection? _ssl;
    private State _state;
    private System.Threading.ITimer? _handshakeTimer;
    private long _startTimestamp;
    private bool _handshakeReported;
    private bool _handshakeTimedOut;
    private bool _countedActive;

    public OpenSslTlsHandler(OpenSslTlsEngine engine, SafeSslContextHandle context)
    {
        _engine = engine;
        _context = context;
    }

    private enum State : byte
    {
        Created,
        Handshaking,
        Established,
        Closing,
        Closed,
    }

    /// <summary>Ciphertext received and not yet decrypted (for back-pressure tests; read it on the event loop).</summary>
    internal long QueuedInputBytes => _ssl is null || _state == State.Closed ? 0 : _ssl.PendingInput;

    private IChannelId? ConnectionId => _ctx?.Channel.Id;

    private EndPoint? RemoteAddress => _ctx?.Channel.RemoteAddress;

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _ctx = context;
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
        if (message is not IByteBuffer buffer || _ssl is null || _state is State.Created or State.Closed)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        bool added = AddInput(buffer);
        buffer.Release();
        if (!added)
        {
            TlsLog.ReadFailed(_engine.Logger, ConnectionId, _ssl.LastError ?? "input not accepted");
            Abort();
            return;
        }

        if (_ssl.PendingInput > MaxQueuedInputBytes)
        {
            TlsLog.InputOverflow(_engine.Logger, ConnectionId, _ssl.PendingInput);
            Abort();
            return;
        }

        if (_state == State.Handshaking)
        {
            ContinueHandshake();
        }
        else if (_state == State.Established && HasDemand)
        {
            ReadPlaintext();
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) => FireReadCompleteIfPending();

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        Cleanup();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => Cleanup();

    public override Task CloseAsync(IChannelHandlerContext context)
    {
        if (_state != State.Established)
        {
            if (_state is State.Created or State.Handshaking)
            {
                _state = State.Closing;
            }

            return context.CloseAsync();
        }

        _state = State.Closing;

        // close_notify: clients tell a clean end from a truncation by it, and an OpenSSL client
        // drops its session (no resumption next time) without it (FACTS.md).
        Task? notify = null;
        if (_ssl!.Shutdown() == SslStatus.Ok)
        {
            notify = SendOutput();
            context.Flush();
        }
        else
        {
            TlsLog.WriteFailed(_engine.Logger, ConnectionId, "close_notify: " + _ssl.LastError);
        }

        return CloseAfterNotify.CloseAsync(context, notify, _engine.CloseNotifyTimeout, _engine.Time, _engine.Logger, ConnectionId);
    }

    private void Start()
    {
        if (_state != State.Created || _ctx is null)
        {
            return;
        }

        _state = State.Handshaking;
        _startTimestamp = _engine.Time.GetTimestamp();
        _ssl = SslConnection.Create(_context, out string? error);
        if (_ssl is null)
        {
            // Out of memory, or a context released under a disposed engine: this connection only.
            OpenSslLog.ConnectionSetupFailed(_engine.Logger, ConnectionId, error!);
            OnHandshakeFailed("internal error: " + error);
            return;
        }

        _handshakeTimer = _engine.Time.CreateTimer(
            static s => ((OpenSslTlsHandler)s!).OnHandshakeTimerFired(), this, _engine.HandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    private void ContinueHandshake()
    {
        SslStatus status = _ssl!.Handshake();

        // ServerHello..Finished, tickets, or an alert explaining a failure.
        SendOutput();
        _ctx!.Flush();
        switch (status)
        {
            case SslStatus.Ok:
                OnHandshakeSucceeded();
                break;
            case SslStatus.WantRead:
                if (!_ctx.Channel.Configuration.AutoRead)
                {
                    // The handshake needs bytes whatever the application's demand.
                    _ctx.Read();
                }

                break;
            case SslStatus.Closed:
                OnHandshakeFailed("close_notify during the handshake");
                break;
            default:
                OnHandshakeFailed(_ssl.LastError ?? "handshake failed");
                break;
        }
    }

    private void OnHandshakeSucceeded()
    {
        DisposeHandshakeTimer();
        _state = State.Established;
        _handshakeReported = true;
        SslConnection ssl = _ssl!;
        // Only TLS 1.2 and 1.3 are enabled on the context (SslContextBuilder).
#pragma warning disable CA5397 // Naming the negotiated version, not choosing one.
        SslProtocols protocol = ssl.Version == OpenSslConstants.Tls13Version ? SslProtocols.Tls13 : SslProtocols.Tls12;
#pragma warning restore CA5397
        bool resumed = ssl.SessionReused;
        _engine.Metrics.HandshakeSucceeded(protocol, resumed, _engine.Time.GetElapsedTime(_startTimestamp));
        _countedActive = true;
        TlsLog.HandshakeSucceeded(_engine.Logger, ConnectionId, protocol, (TlsCipherSuite)ssl.CipherSuite, resumed);

        // The handshake's buffers (certificate chain, flights) would stay in the BIOs for the life
        // of the connection: ~1.4 KB per idle connection.
        ssl.RecycleBuffers();
        _ctx!.FireUserEventTriggered(TlsHandshakeCompletedEvent.Succeeded(protocol, resumed));
        DrainPendingWrites();

        // A client may send its first records together with its Finished.
        if (_state == State.Established && HasDemand && (ssl.PendingInput > 0 || ssl.PendingPlaintext > 0))
        {
            ReadPlaintext();
        }
    }

    private void OnHandshakeFailed(string reason)
    {
        DisposeHandshakeTimer();
        if (_handshakeReported)
        {
            return;
        }

        _handshakeReported = true;
        _engine.Metrics.HandshakeFailed(_handshakeTimedOut);
        if (!_handshakeTimedOut)
        {
            TlsLog.HandshakeFailed(_engine.Logger, ConnectionId, RemoteAddress, reason);
        }

        FailPendingWrites();
        _ctx!.FireUserEventTriggered(_handshakeTimedOut ? TlsHandshakeCompletedEvent.TimedOut() : TlsHandshakeCompletedEvent.Failed(reason));
        Abort();
    }

    private void OnHandshakeTimerFired()
    {
        try
        {
            _ctx?.Executor.Execute(static s => ((OpenSslTlsHandler)s).OnHandshakeTimeout(), this);
        }
        catch (DotNetty.Common.Concurrency.RejectedExecutionException)
        {
            // The event loop is shutting down: the connection closes with it. Runs on a timer
            // thread, where an escaping exception would end the process.
        }
    }

    private void OnHandshakeTimeout()
    {
        if (_state != State.Handshaking)
        {
            return;
        }

        _handshakeTimedOut = true;
        TlsLog.HandshakeTimedOut(_engine.Logger, ConnectionId, RemoteAddress, _engine.HandshakeTimeout);
        OnHandshakeFailed("handshake timed out");
    }

    /// <summary>Closes the channel without close_notify (broken or unauthenticated stream).</summary>
    private void Abort()
    {
        if (_state is State.Closed || _ctx is null)
        {
            return;
        }

        _state = State.Closing;
        TaskObservation.Observe(_ctx.CloseAsync());
    }

    /// <summary>The channel is gone: free the SSL (and its BIOs), release every buffer.</summary>
    private void Cleanup()
    {
        if (_state == State.Closed)
        {
            return;
        }

        bool started = _state != State.Created;
        _state = State.Closed;
        DisposeHandshakeTimer();
        if (!_handshakeReported && started && _ctx is not null)
        {
            // Report while the pipeline is still whole.
            _state = State.Closing;
            OnHandshakeFailed("connection closed during the handshake");
            _state = State.Closed;
        }

        FailPendingWrites();
        ReleaseScratch();
        if (_countedActive)
        {
            _countedActive = false;
            _engine.Metrics.ConnectionClosed();
        }

        _ssl?.Dispose();
    }

    private void DisposeHandshakeTimer()
    {
        _handshakeTimer?.Dispose();
        _handshakeTimer = null;
    }

    /// <summary>
    /// Moves the output BIO's ciphertext to the socket (not flushed); the write's task, or null when
    /// there was nothing. <paramref name="observe"/>: nobody else looks at the task (a write to a
    /// closed channel fails, and an unobserved failure is reported when collected).
    /// </summary>
    private Task? SendOutput(bool observe = true)
    {
        int pending = _ssl!.PendingOutput;
        if (pending == 0)
        {
            return null;
        }

        IByteBuffer output = _ctx!.Allocator.Buffer(pending);
        ArraySegment<byte> space = output.GetIoBuffer(output.WriterIndex, pending);
        int taken = _ssl.TakeOutput(space.AsSpan());
        output.SetWriterIndex(output.WriterIndex + taken);
        Task write = _ctx.WriteAsync(output);
        if (observe)
        {
            TaskObservation.Observe(write);
        }

        return write;
    }

    private bool AddInput(IByteBuffer buffer)
    {
        if (buffer.IoBufferCount == 1)
        {
            ArraySegment<byte> segment = buffer.GetIoBuffer();
            return _ssl!.AddInput(segment.AsSpan());
        }

        foreach (ArraySegment<byte> segment in buffer.GetIoBuffers())
        {
            if (!_ssl!.AddInput(segment.AsSpan()))
            {
                return false;
            }
        }

        return true;
    }
}
