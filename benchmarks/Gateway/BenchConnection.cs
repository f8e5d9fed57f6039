using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// One client connection of the gateway figures: TCP from a chosen source address, TLS 1.3 or plain,
/// whole client packets written and read with <see cref="PacketCodec"/>. The same bytes go to the
/// gateway, to HAProxy (which relays them to the shard's direct port) and to the shard itself.
/// </summary>
internal sealed class BenchConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _output = new(64);
    private readonly byte[] _input;
    private int _start;
    private int _end;

    private BenchConnection(Socket socket, Stream stream, int bufferBytes)
    {
        _socket = socket;
        _stream = stream;
        _input = new byte[bufferBytes];
    }

    /// <summary>Connects (from <paramref name="source"/> when given), runs the TLS 1.3 handshake when <paramref name="tls"/>.</summary>
    public static async Task<BenchConnection> ConnectAsync(IPEndPoint target, IPAddress? source, bool tls, int bufferBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(target, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = "localhost",
                        EnabledSslProtocols = SslProtocols.Tls13,
                        // The bench's own throw-away certificate: nothing to verify, only to use.
                        RemoteCertificateValidationCallback = static (_, certificate, _, _) => certificate is not null,
                        AllowTlsResume = false,
                    },
                    cancellationToken);
            }

            return new BenchConnection(socket, stream, bufferBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes one packet as one frame.</summary>
    public async ValueTask WriteAsync(ClientPacket packet, CancellationToken cancellationToken)
    {
        _output.ResetWrittenCount();
        if (PacketCodec.Default.Write(packet, _output) != FrameStatus.Ok)
        {
            throw new InvalidOperationException("a bench packet does not fit a frame");
        }

        await _stream.WriteAsync(_output.WrittenMemory, cancellationToken);
    }

    /// <summary>The next packet, or null when the server closed the connection or sent a broken frame.</summary>
    public async ValueTask<ClientPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_end > _start)
            {
                var sequence = new ReadOnlySequence<byte>(_input, _start, _end - _start);
                var before = sequence.Length;
                var status = PacketCodec.Default.TryRead(ref sequence, out var packet);
                _start += (int)(before - sequence.Length);
                if (status == FrameStatus.Ok)
                {
                    return packet;
                }

                if (status != FrameStatus.NeedMoreData)
                {
                    return null;
                }
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _input.Length)
            {
                return null;
            }

            var read = await _stream.ReadAsync(_input.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Reads until a packet of <paramref name="kind"/> arrives; false when the connection ended first.</summary>
    public async ValueTask<bool> ReadUntilAsync(PacketKind kind, CancellationToken cancellationToken)
    {
        while (await ReadAsync(cancellationToken) is { } packet)
        {
            if (packet.Kind == kind)
            {
                return true;
            }

            if (packet.Kind == PacketKind.Error)
            {
                throw new InvalidOperationException($"server error {packet.Error!.Code}: {packet.Error.Text}");
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
