using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Chat.Gateway.Tls.OpenSsl.Interop;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>
/// Encryption: plaintext is encrypted inside WriteAsync and the records go straight to the socket.
/// Writes made before the handshake finished are held and sent after it, in order.
/// </summary>
internal sealed partial class OpenSslTlsHandler
{
    /// <summary>Plaintext held before the handshake finished beyond which writes fail (as in the SslStream engine).</summary>
    internal const long MaxHeldWriteBytes = 1024 * 1024;

    /// <summary>
    /// Ciphertext waiting in the channel's outbound buffer beyond which a write closes the
    /// connection. Memory BIOs never push back (no WANT_WRITE), so a peer that stops reading while
    /// the application ignores writability would otherwise grow memory without bound.
    /// </summary>
    internal const long MaxPendingOutputBytes = 16 * 1024 * 1024;

    private Queue<PendingWrite>? _pendingWrites;
    private long _heldBytes;
    private bool _flushPending;

    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer)
        {
            ReferenceCountUtil.Release(message);
            return Task.FromException(new NotSupportedException($"The TLS handler writes IByteBuffer only, not {message.GetType().Name}."));
        }

        switch (_state)
        {
            case State.Created or State.Handshaking:
                return Hold(buffer);
            case State.Established:
                return Encrypt(buffer);
            default:
                buffer.Release();
                return Task.FromException(new ClosedChannelException());
        }
    }

    public override void Flush(IChannelHandlerContext context)
    {
        if (_state is State.Created or State.Handshaking)
        {
            _flushPending = true;
            return;
        }

        context.Flush();
    }

    private Task Hold(IByteBuffer buffer)
    {
        if (_heldBytes + buffer.ReadableBytes > MaxHeldWriteBytes)
        {
            buffer.Release();
            return Task.FromException(new InvalidOperationException($"More than {MaxHeldWriteBytes} bytes written before the TLS handshake finished."));
        }

        _heldBytes += buffer.ReadableBytes;

        // Rare (a write before the handshake finished), so a TCS per write is fine.
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_pendingWrites ??= new Queue<PendingWrite>()).Enqueue(new PendingWrite(buffer, completion));
        return completion.Task;
    }

    /// <summary>Encrypts and writes; returns the transport's task for the records.</summary>
    private Task Encrypt(IByteBuffer buffer)
    {
        long queued = _ctx!.Channel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0;
        if (queued > MaxPendingOutputBytes)
        {
            buffer.Release();
            OpenSslLog.OutputOverflow(_engine.Logger, ConnectionId, queued);
            Abort();
            return Task.FromException(new ClosedChannelException());
        }

        SslStatus status = SslStatus.Ok;
        if (buffer.IoBufferCount == 1)
        {
            status = _ssl!.Write(buffer.GetIoBuffer().AsSpan());
        }
        else
        {
            foreach (ArraySegment<byte> segment in buffer.GetIoBuffers())
            {
                status = _ssl!.Write(segment.AsSpan());
                if (status != SslStatus.Ok)
                {
                    break;
                }
            }
        }

        buffer.Release();
        if (status != SslStatus.Ok)
        {
            TlsLog.WriteFailed(_engine.Logger, ConnectionId, _ssl!.LastError ?? "write failed");

            // The TLS state is broken: nothing more can be sent on this connection.
            Abort();
            return Task.FromException(new ClosedChannelException());
        }

        return SendOutput(observe: false) ?? Task.CompletedTask;
    }

    private void DrainPendingWrites()
    {
        while (_state == State.Established && _pendingWrites is not null && _pendingWrites.TryDequeue(out PendingWrite pending))
        {
            _heldBytes -= pending.Buffer.ReadableBytes;
            TaskObservation.Forward(Encrypt(pending.Buffer), pending.Completion);
        }

        if (_flushPending && _state == State.Established)
        {
            _flushPending = false;
            _ctx!.Flush();
        }
    }

    private void FailPendingWrites()
    {
        if (_pendingWrites is null)
        {
            return;
        }

        _heldBytes = 0;
        while (_pendingWrites.TryDequeue(out PendingWrite pending))
        {
            pending.Buffer.Release();
            pending.Completion.TrySetException(new ClosedChannelException());
        }
    }

    private readonly record struct PendingWrite(IByteBuffer Buffer, TaskCompletionSource Completion);
}
