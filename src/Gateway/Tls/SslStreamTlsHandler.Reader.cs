using System.Security.Authentication;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Tls;

/// <summary>The read loop: decrypts only while the next handler wants data, holds no buffer while idle.</summary>
internal sealed partial class SslStreamTlsHandler
{
    /// <summary>A TLS record carries at most 16 KiB of plaintext (RFC 8446 5.1): one record per read.</summary>
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>Reads up to this size are copied into an exact-size buffer, so a 100-byte frame does not hold 16 KiB downstream.</summary>
    private const int CopySmallReadBytes = 4 * 1024;

    private bool _loopRunning;
    private bool _readRequested;
    private bool _readCompletePending;
    private IByteBuffer? _scratch;

    /// <summary>The next handler wants data: AutoRead on, or an explicit Read() not yet served.</summary>
    private bool HasDemand => _readRequested || _ctx!.Channel.Configuration.AutoRead;

    public override void Read(IChannelHandlerContext context)
    {
        if (_state is State.Created or State.Handshaking)
        {
            // The handshake needs bytes whatever the application's demand.
            context.Read();
            return;
        }

        if (_state != State.Established)
        {
            return;
        }

        _readRequested = true;
        if (!_loopRunning)
        {
            // Plaintext may already sit decrypted in SslStream or queued here: serve it before
            // asking the socket (the loop asks through the mediation stream when it runs dry).
            _ = ReadLoopAsync();
        }
        else if (_mediation!.IsReadPending)
        {
            context.Read();
        }
    }

    /// <summary>
    /// Runs while there is demand; returns (dropping every buffer) when there is none, and Read()
    /// starts it again. Never faults.
    /// </summary>
    private async Task ReadLoopAsync()
    {
        _loopRunning = true;
        try
        {
            while (_state == State.Established && HasDemand)
            {
                // Zero-byte read: completes when SslStream has plaintext or the mediation stream has
                // ciphertext, without SslStream renting its read buffer in the meantime.
                ValueTask<int> ready = _ssl!.ReadAsync(Memory<byte>.Empty);
                if (!ready.IsCompleted)
                {
                    ReleaseScratch();
                    FireReadCompleteIfPending();
                    await ready.ConfigureAwait(false);
                    await new EventLoopHop(_ctx!.Executor);
                }
                else
                {
                    ready.GetAwaiter().GetResult();
                }

                if (_state != State.Established)
                {
                    break;
                }

                _scratch ??= _ctx!.Allocator.Buffer(ReadChunkBytes);
                ArraySegment<byte> space = _scratch.GetIoBuffer(_scratch.WriterIndex, _scratch.WritableBytes);
                ValueTask<int> read = _ssl.ReadAsync(space.AsMemory());
                int n;
                if (read.IsCompleted)
                {
                    n = read.GetAwaiter().GetResult();
                }
                else
                {
                    // Part of a record arrived; the rest is on its way.
                    n = await read.ConfigureAwait(false);
                    await new EventLoopHop(_ctx!.Executor);
                }

                if (_state != State.Established)
                {
                    break;
                }

                if (n == 0)
                {
                    OnInputClosed();
                    break;
                }

                Deliver(n);
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            // Bad record MAC, a truncated record, a renegotiation attempt: the peer's doing.
            await new EventLoopHop(_ctx!.Executor);
            string reason = e.GetBaseException().Message;
            TlsLog.ReadFailed(_engine.Logger, ConnectionId, reason);
            Abort();
        }
        catch (Exception e)
        {
            await new EventLoopHop(_ctx!.Executor);
            TlsLog.UnexpectedError(_engine.Logger, ConnectionId, e);
            Abort();
        }
        finally
        {
            _loopRunning = false;
            ReleaseScratch();
            FireReadCompleteIfPending();
        }
    }

    private void Deliver(int count)
    {
        IByteBuffer scratch = _scratch!;
        scratch.SetWriterIndex(scratch.WriterIndex + count);
        IByteBuffer message;
        if (count <= CopySmallReadBytes)
        {
            message = _ctx!.Allocator.Buffer(count);
            scratch.GetIoBuffer(scratch.ReaderIndex, count).AsSpan().CopyTo(message.GetIoBuffer(message.WriterIndex, count).AsSpan());
            message.SetWriterIndex(message.WriterIndex + count);
            scratch.Clear();
        }
        else
        {
            message = scratch;
            _scratch = null;
        }

        if (!_ctx!.Channel.Configuration.AutoRead)
        {
            // One Read() asks for one read: more waits for the next Read().
            _readRequested = false;
        }

        _readCompletePending = true;
        _ctx.FireChannelRead(message);
    }

    /// <summary>The peer sent close_notify: answer with ours and close.</summary>
    private void OnInputClosed()
    {
        if (_state == State.Established && _ctx is not null)
        {
            TaskObservation.Observe(_ctx.Channel.CloseAsync());
        }
    }

    private void FireReadCompleteIfPending()
    {
        if (_readCompletePending && _ctx is not null)
        {
            _readCompletePending = false;
            _ctx.FireChannelReadComplete();
        }
    }

    private void ReleaseScratch()
    {
        _scratch?.Release();
        _scratch = null;
    }
}
