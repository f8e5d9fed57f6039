using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Chat.Gateway.Tls.OpenSsl.Interop;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>Decryption: only while the next handler wants data; no buffer held while idle.</summary>
internal sealed partial class OpenSslTlsHandler
{
    /// <summary>A TLS record carries at most 16 KiB of plaintext (RFC 8446 5.1): one record per SSL_read.</summary>
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>Reads up to this size are copied into an exact-size buffer, so a 100-byte frame does not hold 16 KiB downstream.</summary>
    private const int CopySmallReadBytes = 4 * 1024;

    /// <summary>Bytes through the BIOs after which they are swapped for fresh ones once empty (their buffers never shrink).</summary>
    private const long RecycleAfterBytes = 32 * 1024;

    private bool _reading;
    private bool _readRequested;
    private bool _readCompletePending;
    private long _bytesSinceRecycle;
    private IByteBuffer? _scratch;

    /// <summary>The next handler wants data: AutoRead on, or an explicit Read() not yet served.</summary>
    private bool HasDemand => _readRequested || _ctx!.Channel.Configuration.AutoRead;

    public override void Read(IChannelHandlerContext context)
    {
        if (_state is State.Created or State.Handshaking)
        {
            context.Read();
            return;
        }

        if (_state != State.Established)
        {
            return;
        }

        _readRequested = true;
        if (!_reading)
        {
            // Plaintext may already be decryptable from queued input: serve it before asking the
            // socket (ReadPlaintext asks the socket when OpenSSL wants more).
            ReadPlaintext();
        }
    }

    /// <summary>Decrypts and delivers records while there is demand. Re-entrant calls (a handler reading from inside ChannelRead) return at once.</summary>
    private void ReadPlaintext()
    {
        if (_reading)
        {
            return;
        }

        _reading = true;
        try
        {
            while (_state == State.Established && HasDemand)
            {
                _scratch ??= _ctx!.Allocator.Buffer(ReadChunkBytes);
                ArraySegment<byte> space = _scratch.GetIoBuffer(_scratch.WriterIndex, _scratch.WritableBytes);
                SslStatus status = _ssl!.Read(space.AsSpan(), out int read);

                // TLS 1.3 key updates and alerts produce output while reading.
                if (_ssl.PendingOutput > 0)
                {
                    SendOutput();
                    _ctx!.Flush();
                }

                if (status == SslStatus.Ok)
                {
                    _bytesSinceRecycle += read;
                    Deliver(read);
                    continue;
                }

                if (status == SslStatus.WantRead)
                {
                    OnInputDrained();
                }
                else if (status == SslStatus.Closed)
                {
                    OnInputClosed();
                }
                else
                {
                    // Bad record MAC, a truncated record, a renegotiation attempt: the peer's doing.
                    TlsLog.ReadFailed(_engine.Logger, ConnectionId, _ssl.LastError ?? "read failed");
                    Abort();
                }

                break;
            }
        }
        finally
        {
            _reading = false;
            ReleaseScratch();
            FireReadCompleteIfPending();
        }
    }

    /// <summary>OpenSSL consumed all input: ask the socket for more while there is demand, and drop grown buffers.</summary>
    private void OnInputDrained()
    {
        if (_bytesSinceRecycle > RecycleAfterBytes && _ssl!.PendingInput == 0 && _ssl.PendingOutput == 0)
        {
            _bytesSinceRecycle = 0;
            _ssl.RecycleBuffers();
        }

        // Also with AutoRead on: a Read() this handler served from queued input never reached the
        // socket, and DotNetty only re-arms an AutoRead socket after a read it started itself.
        // A second Read() while one is pending does nothing.
        if (HasDemand)
        {
            _ctx!.Read();
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

    /// <summary>The peer sent close_notify: answer with ours (CloseAsync) and close.</summary>
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
