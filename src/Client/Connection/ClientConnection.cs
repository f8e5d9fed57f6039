using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Client.Connection;

/// <summary>
/// One transport connection to a gateway (TLS) or a shard (TCP): whole frames in, whole frames out.
/// One reader at a time (the client's read loop); writers are serialized by a lock, so a frame is
/// never interleaved with another. Socket and TLS failures are results, never exceptions: a failed
/// read returns <see cref="InboundStatus.Closed"/>, a failed write returns false and aborts the socket
/// so the read loop notices.
/// </summary>
internal sealed partial class ClientConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PacketCodec _codec;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _writeBuffer = new(256);
    private int _aborted;

    private ClientConnection(Socket socket, Stream stream, PacketCodec codec, EndpointAddress endpoint, IPAddress address)
    {
        _socket = socket;
        _stream = stream;
        _codec = codec;
        Endpoint = endpoint;
        Address = address;
        // The codec rejects a frame above the limit from its length prefix, so the pipe never holds
        // more than one frame plus one read's worth of bytes.
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
    }

    /// <summary>The configured endpoint this connection went to.</summary>
    public EndpointAddress Endpoint { get; }

    /// <summary>The address it connected to (one of the endpoint's DNS answers).</summary>
    public IPAddress Address { get; }

    /// <summary>Reads the next packet. Frames of packet types this build does not know are skipped.</summary>
    public async ValueTask<Inbound> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                return Inbound.Closed(ex.Message);
            }

            var buffer = result.Buffer;
            var status = _codec.TryRead(ref buffer, out var packet);
            switch (status)
            {
                case FrameStatus.Ok:
                    _reader.AdvanceTo(buffer.Start);
                    return new Inbound(InboundStatus.Packet, packet, status, null);
                case FrameStatus.NeedMoreData:
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        _reader.AdvanceTo(buffer.Start, buffer.End);
                        return Inbound.Closed(buffer.IsEmpty ? "closed by the peer" : "closed by the peer inside a frame");
                    }

                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    break;
                case FrameStatus.UnknownPacket:
                    // A packet added by a newer server: skip it, as the protocol's evolution rules say.
                    _reader.AdvanceTo(buffer.Start);
                    break;
                default:
                    _reader.AdvanceTo(buffer.Start);
                    return new Inbound(InboundStatus.BadFrame, null, status, $"bad frame from the server: {status}");
            }
        }
    }

    /// <summary>Encodes and writes one packet. Returns false when the packet exceeds the frame limits or the connection failed.</summary>
    public async ValueTask<bool> WriteAsync(ClientPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            _writeBuffer.ResetWrittenCount();
            if (_codec.Write(packet, _writeBuffer) != FrameStatus.Ok)
            {
                return false;
            }

            return await WriteLockedAsync(_writeBuffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes one already encoded frame (a Send kept for retries). Returns false when the connection failed.</summary>
    public async ValueTask<bool> WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            return await WriteLockedAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the socket at once; a pending read returns <see cref="InboundStatus.Closed"/>. Idempotent.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            // Dispose (not Shutdown): a peer that stopped reading must not keep us waiting on a graceful close.
            _socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // SslStream may try to write close_notify on a socket that is already gone; nothing to save.
        }
    }

    private async ValueTask<bool> WriteLockedAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // A half-written frame would corrupt the stream for the next writer: the connection is done.
            Abort();
            return false;
        }
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException;
}
