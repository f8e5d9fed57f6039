using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Chat.Tests.Gateway.Support;

/// <summary>A raw TCP client speaking client frames (no SDK): what the gateway sees from a phone.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private TestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<TestClient> ConnectAsync(IPEndPoint endPoint, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(endPoint).WaitAsync(TimeSpan.FromSeconds(5));
        return new TestClient(socket);
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask().WaitAsync(Eventually.WaitBound);

    /// <summary>Reads one whole frame; null when the gateway closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Eventually.WaitBound);
        var prefix = new byte[4];
        if (!await ReadExactlyOrEofAsync(prefix, cts.Token))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        var frame = new byte[4 + length];
        prefix.CopyTo(frame, 0);
        if (!await ReadExactlyOrEofAsync(frame.AsMemory(4), cts.Token))
        {
            throw new EndOfStreamException("connection closed inside a frame");
        }

        return frame;
    }

    /// <summary>True when the gateway closed the connection (EOF or reset) within the timeout, after reading and dropping any frames.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        try
        {
            while (await ReadFrameAsync(timeout) is not null)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<bool> ReadExactlyOrEofAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer[read..], cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
