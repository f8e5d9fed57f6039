using System.Security.Authentication;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Tls;

/// <summary>
/// The write path: plaintext buffers are encrypted as they are written; held while the handshake
/// runs or while SslStream finishes an earlier write asynchronously, so records keep their order.
/// </summary>
internal sealed partial class SslStreamTlsHandler
{
    /// <summary>
    /// Plaintext held before the handshake finished (or behind a blocked write) beyond which writes
    /// fail: an application handler writes after <see cref="TlsHandshakeCompletedEvent"/>, so this
    /// only stops a bug from growing memory without bound.
    /// </summary>
    internal const long MaxHeldWriteBytes = 1024 * 1024;

    private Queue<PendingWrite>? _pendingWrites;
    private long _heldBytes;
    private bool _flushPending;
    private bool _writeBlocked;

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
            case State.Established when _writeBlocked || _pendingWrites is { Count: > 0 }:
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
        if (_state is State.Created or State.Handshaking || _writeBlocked || _pendingWrites is { Count: > 0 })
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
        // Rare (a write before the handshake finished, or behind a blocked write), so a TCS per write is fine.
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_pendingWrites ??= new Queue<PendingWrite>()).Enqueue(new PendingWrite(buffer, completion));
        return completion.Task;
    }

    /// <summary>Encrypts and writes; returns the transport's task for the last record.</summary>
    private Task Encrypt(IByteBuffer buffer)
    {
        ArraySegment<byte>[]? segments = buffer.IoBufferCount == 1 ? null : buffer.GetIoBuffers();
        ArraySegment<byte> single = segments is null ? buffer.GetIoBuffer() : default;
        int count = segments?.Length ?? 1;
        _mediation!.BeginAppWrite();
        try
        {
            for (int i = 0; i < count; i++)
            {
                ArraySegment<byte> segment = segments is null ? single : segments[i];
                if (segment.Count == 0)
                {
                    continue;
                }

                ValueTask write = _ssl!.WriteAsync(segment.AsMemory());
                if (!write.IsCompleted)
                {
                    // SslStream is busy (e.g. answering a TLS 1.3 key update): later writes wait.
                    _writeBlocked = true;
                    TaskObservation.Observe(_mediation.EndAppWrite() ?? Task.CompletedTask);
                    return FinishBlockedWriteAsync(write, buffer, segments, i + 1);
                }

                write.GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or AuthenticationException or NotSupportedException)
        {
            TaskObservation.Observe(_mediation.EndAppWrite() ?? Task.CompletedTask);
            buffer.Release();
            string reason = e.Message;
            TlsLog.WriteFailed(_engine.Logger, ConnectionId, reason);

            // The TLS stream is broken: nothing more can be sent on this connection.
            Abort();
            return Task.FromException(new ClosedChannelException());
        }

        Task? last = _mediation.EndAppWrite();
        buffer.Release();
        return last ?? Task.CompletedTask;
    }

    private async Task FinishBlockedWriteAsync(ValueTask write, IByteBuffer buffer, ArraySegment<byte>[]? segments, int next)
    {
        try
        {
            await write.ConfigureAwait(false);
            for (int i = next; segments is not null && i < segments.Length; i++)
            {
                await _ssl!.WriteAsync(segments[i].AsMemory()).ConfigureAwait(false);
            }
        }
        finally
        {
            buffer.Release();
            await new EventLoopHop(_ctx!.Executor);
            _writeBlocked = false;
            DrainPendingWrites();
        }
    }

    private void DrainPendingWrites()
    {
        while (_state == State.Established && !_writeBlocked && _pendingWrites is not null && _pendingWrites.TryDequeue(out PendingWrite pending))
        {
            _heldBytes -= pending.Buffer.ReadableBytes;
            TaskObservation.Forward(Encrypt(pending.Buffer), pending.Completion);
        }

        if (_flushPending && !_writeBlocked && _state == State.Established)
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
