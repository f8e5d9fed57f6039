using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>
/// TLS for one connection with SslStream over a <see cref="ChannelMediationStream"/>; first in the
/// pipeline. Everything runs on the channel's event loop: the mediation stream completes SslStream's
/// reads synchronously from ChannelRead, so the handshake, decryption and the read loop continue
/// there, and SslStream's writes land in the pipeline at once. This file: lifecycle, handshake,
/// close; the read loop and the write path are in the .Reader and .Writer files.
/// </summary>
/// <remarks>
/// <code>
///  socket -> ChannelRead(ciphertext) -> mediation queue -> SslStream -> read loop -> FireChannelRead(plaintext)
///  WriteAsync(plaintext) -> SslStream.WriteAsync -> mediation.Write -> ctx.WriteAsync(ciphertext) -> socket
/// </code>
/// </remarks>
internal sealed partial class SslStreamTlsHandler : ChannelHandlerAdapter
{
    /// <summary>
    /// Ciphertext queued but not taken by SslStream beyond which the connection is closed. With
    /// AutoRead off the socket stops after the read burst in progress (at most 16 reads of up to
    /// 64 KiB in DotNetty), so only a bug or a peer ignoring the protocol gets near it.
    /// </summary>
    internal const long MaxQueuedInputBytes = 2 * 1024 * 1024;

    private readonly SslStreamTlsEngine _engine;
    private readonly SslServerAuthenticationOptions _options;
    private IChannelHandlerContext? _ctx;
    private ChannelMediationStream? _mediation;
    private SslStream? _ssl;
    private State _state;
    private System.Threading.ITimer? _handshakeTimer;
    private long _startTimestamp;
    private bool _handshakeReported;
    private bool _handshakeTimedOut;
    private bool _countedActive;

    public SslStreamTlsHandler(SslStreamTlsEngine engine, SslServerAuthenticationOptions options)
    {
        _engine = engine;
        _options = options;
    }

    private enum State : byte
    {
        Created,
        Handshaking,
        Established,
        Closing,
        Closed,
    }

    /// <summary>Ciphertext received and not yet decrypted (for tests of back-pressure; read it on the event loop).</summary>
    internal long QueuedInputBytes => _mediation?.QueuedBytes ?? 0;

    private IChannelId? ConnectionId => _ctx?.Channel.Id;

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
        if (message is not IByteBuffer buffer || _mediation is null || _state is State.Created or State.Closed)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        // May run the handshake or the read loop to completion, inline.
        _mediation.Enqueue(buffer);
        if (_mediation.QueuedBytes > MaxQueuedInputBytes && _state is not State.Closed)
        {
            TlsLog.InputOverflow(_engine.Logger, ConnectionId, _mediation.QueuedBytes);
            Abort();
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) =>
        // The socket's read-complete means nothing to the next handler unless plaintext came out
        // of it; the read loop reports its own bursts.
        FireReadCompleteIfPending();

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
        Task? notify = null;
        try
        {
            // Writes close_notify through the mediation stream (flushed there): clients tell a clean
            // end from a truncation attack by it, and OpenSSL clients drop the session without it.
            Task shutdown = _ssl!.ShutdownAsync();
            if (shutdown.IsCompleted)
            {
                shutdown.GetAwaiter().GetResult();
            }
            else
            {
                TaskObservation.Observe(shutdown);
            }

            notify = _mediation!.LastInternalWrite;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or AuthenticationException)
        {
            TlsLog.WriteFailed(_engine.Logger, ConnectionId, "close_notify: " + e.Message);
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
        _mediation = new ChannelMediationStream(_ctx) { Inspector = new ServerHelloInspector(), InlineHandshake = true };
        _ssl = new SslStream(_mediation, leaveInnerStreamOpen: true);
        _handshakeTimer = _engine.Time.CreateTimer(
            static s => ((SslStreamTlsHandler)s!).OnHandshakeTimerFired(), this, _engine.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        _ = RunAsync();
    }

    /// <summary>Handshake, then the read loop. Never faults: failures are handled inside.</summary>
    private async Task RunAsync()
    {
        try
        {
            Exception? failure = null;
            try
            {
                await _ssl!.AuthenticateAsServerAsync(_options, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // InvalidOperationException: the stream was disposed under a pending handshake.
                failure = e;
            }

            // Queued, not inline: the handshake may have finished inside the default-scheduler task of
            // the mediation stream, and the completion event must reach the next handlers from a
            // plain loop task.
            await new EventLoopHop(_ctx!.Executor, always: true);
            _mediation!.InlineHandshake = false;
            if (failure is not null || _state != State.Handshaking)
            {
                OnHandshakeFailed(failure?.GetBaseException().Message ?? "connection closed during the handshake");
                return;
            }

            OnHandshakeSucceeded();
            if (_state == State.Established && HasDemand && !_loopRunning)
            {
                await ReadLoopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            TlsLog.UnexpectedError(_engine.Logger, ConnectionId, e);
            if (!_handshakeReported)
            {
                OnHandshakeFailed("internal error: " + e.Message);
            }

            Abort();
        }
    }

    private void OnHandshakeSucceeded()
    {
        DisposeHandshakeTimer();
        _state = State.Established;
        _handshakeReported = true;
        bool? resumed = _mediation!.Inspector is { IsDone: true } inspector ? inspector.Resumed : null;
        _mediation.Inspector = null;
        SslProtocols protocol = _ssl!.SslProtocol;
        _engine.Metrics.HandshakeSucceeded(protocol, resumed, _engine.Time.GetElapsedTime(_startTimestamp));
        _countedActive = true;
        TlsLog.HandshakeSucceeded(_engine.Logger, ConnectionId, protocol, _ssl.NegotiatedCipherSuite, resumed);

        _ctx!.FireUserEventTriggered(TlsHandshakeCompletedEvent.Succeeded(protocol, resumed));
        DrainPendingWrites();
    }

    private void OnHandshakeFailed(string reason)
    {
        DisposeHandshakeTimer();
        if (_handshakeReported)
        {
            return;
        }

        _handshakeReported = true;
        if (_mediation is not null)
        {
            _mediation.Inspector = null;
        }

        _engine.Metrics.HandshakeFailed(_handshakeTimedOut);
        if (!_handshakeTimedOut)
        {
            TlsLog.HandshakeFailed(_engine.Logger, ConnectionId, RemoteAddress, reason);
        }

        FailPendingWrites();
        _ctx!.FireUserEventTriggered(_handshakeTimedOut ? TlsHandshakeCompletedEvent.TimedOut() : TlsHandshakeCompletedEvent.Failed(reason));
        Abort();
    }

    private void OnHandshakeTimerFired() => _ctx?.Executor.Execute(static s => ((SslStreamTlsHandler)s).OnHandshakeTimeout(), this);

    private void OnHandshakeTimeout()
    {
        if (_state != State.Handshaking)
        {
            return;
        }

        _handshakeTimedOut = true;
        TlsLog.HandshakeTimedOut(_engine.Logger, ConnectionId, RemoteAddress, _engine.HandshakeTimeout);

        // Closing ends the pending handshake read with end-of-stream; RunAsync then reports it.
        Abort();
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

    /// <summary>The channel is gone: end SslStream's pending operations, release every buffer.</summary>
    private void Cleanup()
    {
        if (_state == State.Closed)
        {
            return;
        }

        _state = State.Closed;
        DisposeHandshakeTimer();
        if (!_handshakeReported && _mediation is not null)
        {
            // Report now, while the pipeline is still whole: the handshake task fails below only
            // once SslStream sees the end of stream.
            OnHandshakeFailed("connection closed during the handshake");
        }

        // End-of-stream completes SslStream's pending read inline: a handshake in progress fails (and
        // was reported above); a read loop stops and releases its buffer.
        _mediation?.Complete();
        FailPendingWrites();
        ReleaseScratch();
        if (_countedActive)
        {
            _countedActive = false;
            _engine.Metrics.ConnectionClosed();
        }

        _ssl?.Dispose();
        _mediation?.Dispose();
    }

    private void DisposeHandshakeTimer()
    {
        _handshakeTimer?.Dispose();
        _handshakeTimer = null;
    }

    private EndPoint? RemoteAddress => _ctx?.Channel.RemoteAddress;
}
