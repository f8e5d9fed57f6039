using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Tests.Client.Support;

/// <summary>
/// The server end of one client connection in a <see cref="ScriptedServer"/>: the test reads what the
/// client sent and writes what a shard would answer. Client Pings are answered automatically.
/// </summary>
internal sealed class ServerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly Queue<ClientPacket> _unread = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _nonce = 1000;

    public ServerConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(stream);
    }

    /// <summary>The client's address and port as this server sees them.</summary>
    public System.Net.IPEndPoint RemoteEndPoint => (System.Net.IPEndPoint)_socket.RemoteEndPoint!;

    /// <summary>When false, Pings are returned by <see cref="ReadAsync"/> instead of answered (a server that went silent).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>The next packet the client sent other than Pong (and Ping, while <see cref="AnswerPings"/>); null when the client closed.</summary>
    public async Task<ClientPacket?> ReadAsync()
    {
        if (_unread.TryDequeue(out var queued))
        {
            return queued;
        }

        while (true)
        {
            var packet = await ReadRawAsync().DefaultTimeout();
            if (packet?.Kind == PacketKind.Ping && AnswerPings)
            {
                await SendAsync(new Pong { Nonce = packet.Ping!.Nonce });
                continue;
            }

            if (packet?.Kind == PacketKind.Pong)
            {
                continue;
            }

            return packet;
        }
    }

    /// <summary>Reads the next packet and asserts it is a <paramref name="kind"/>.</summary>
    public async Task<ClientPacket> ExpectAsync(PacketKind kind)
    {
        var packet = await ReadAsync();
        Assert.NotNull(packet);
        Assert.Equal(kind, packet.Kind);
        return packet;
    }

    public async Task<Auth> ExpectAuthAsync() => (await ExpectAsync(PacketKind.Auth)).Auth!;

    public async Task<Send> ExpectSendAsync() => (await ExpectAsync(PacketKind.Send)).Send!;

    public async Task<Sync> ExpectSyncAsync() => (await ExpectAsync(PacketKind.Sync)).Sync!;

    /// <summary>Reads Auth and answers AuthOk.</summary>
    public async Task<Auth> AcceptAuthAsync(string userId = "alice", string coupleId = "c1", long latestSeq = 0, bool partnerOnline = true)
    {
        var auth = await ExpectAuthAsync();
        await SendAsync(new AuthOk { UserId = userId, CoupleId = coupleId, LatestSeq = latestSeq, PartnerOnline = partnerOnline, ServerTime = 1_700_000_000_000 });
        return auth;
    }

    public async Task SendAsync(ClientPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.Write(packet, output));
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(output.WrittenMemory);
            await _stream.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes raw bytes (hostile-server tests).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// A barrier: sends Ping and waits for the client's Pong. The client's read loop handles packets in
    /// order, so when the Pong arrives everything sent before the Ping has been handled. Packets the
    /// client sent meanwhile stay queued for <see cref="ReadAsync"/>.
    /// </summary>
    public async Task RoundTripAsync()
    {
        var nonce = Interlocked.Increment(ref _nonce);
        await SendAsync(new Ping { Nonce = nonce });
        while (true)
        {
            var packet = await ReadRawAsync().DefaultTimeout();
            Assert.NotNull(packet);
            if (packet.Kind == PacketKind.Pong && packet.Pong!.Nonce == nonce)
            {
                return;
            }

            if (packet.Kind == PacketKind.Ping)
            {
                await SendAsync(new Pong { Nonce = packet.Ping!.Nonce });
            }
            else if (packet.Kind != PacketKind.Pong)
            {
                _unread.Enqueue(packet);
            }
        }
    }

    /// <summary>Waits until the client closes its end (reads past anything it still sends).</summary>
    public async Task WaitClosedAsync()
    {
        while (await ReadRawAsync().DefaultTimeout() is not null)
        {
        }
    }

    /// <summary>Drops the connection at once, as a crashed server would.</summary>
    public void Abort() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _reader.CompleteAsync();
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // Already broken; nothing to flush.
        }
    }

    private async Task<ClientPacket?> ReadRawAsync()
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                return null;
            }

            var buffer = result.Buffer;
            var status = PacketCodec.Default.TryRead(ref buffer, out var packet);
            if (status == FrameStatus.Ok)
            {
                _reader.AdvanceTo(buffer.Start);
                return packet;
            }

            Assert.Equal(FrameStatus.NeedMoreData, status);
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }
}
