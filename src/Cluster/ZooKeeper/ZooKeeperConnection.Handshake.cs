using System.Buffers;
using System.Net.Sockets;

namespace Chat.Cluster.ZooKeeper;

internal sealed partial class ZooKeeperConnection
{
    /// <summary>
    /// Connects to one server and asks for the session (<paramref name="sessionId"/> 0 for a new one).
    /// Never throws for network trouble: that is <see cref="HandshakeOutcome.Failed"/>.
    /// </summary>
    public static async Task<HandshakeResult> OpenAsync(
        SessionContext context, string host, int port, long sessionId, byte[] password, Func<int> nextXid, CancellationToken cancellationToken)
    {
        var server = $"{host}:{port}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new CancellationTokenSource(context.Options.ConnectTimeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        byte[]? frame = null;
        try
        {
            await socket.ConnectAsync(host, port, linked.Token);
            var timeoutMs = (int)context.Options.SessionTimeout.TotalMilliseconds;
            var request = RequestEncoder.Connect(context.LastZxid, timeoutMs, sessionId, password);
            await socket.SendAsync(request, SocketFlags.None, linked.Token);

            using var stream = new NetworkStream(socket, ownsSocket: false);
            var read = await FrameIo.ReadAsync(stream, new byte[4], 4096, linked.Token);
            if (read is not var (buffer, length))
            {
                // A server behind our last zxid, or not serving yet (no quorum), closes at once.
                socket.Dispose();
                return new HandshakeResult(HandshakeOutcome.Failed, Failure: "closed during the handshake");
            }

            frame = buffer;
            var reply = ParseConnectResponse(buffer.AsSpan(0, length));
            if (reply.TimeoutMs <= 0)
            {
                socket.Dispose();
                return new HandshakeResult(HandshakeOutcome.Expired);
            }

            var negotiated = TimeSpan.FromMilliseconds(reply.TimeoutMs);
            var connection = new ZooKeeperConnection(context, socket, server, negotiated, nextXid);
            return new HandshakeResult(HandshakeOutcome.Connected, connection, reply.SessionId, reply.Password, negotiated);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or JuteFormatException)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            var why = ex is OperationCanceledException ? $"no answer within {context.Options.ConnectTimeout}" : ex.Message;
            return new HandshakeResult(HandshakeOutcome.Failed, Failure: why);
        }
        finally
        {
            if (frame is not null)
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
    }

    /// <summary>ConnectResponse {protocolVersion, timeOut, sessionId, passwd}, then the echoed readOnly flag (ignored).</summary>
    private static (int TimeoutMs, long SessionId, byte[] Password) ParseConnectResponse(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        _ = reader.ReadInt();
        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer();
        return (timeout, sessionId, password);
    }
}
