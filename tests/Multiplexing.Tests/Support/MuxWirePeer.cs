using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol.Multiplexing;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// A hand-driven mux peer over a plain socket, speaking the wire with the protocol codecs: it can do
/// the real handshake and then send frames a correct peer never would (forged stream ids, bad
/// headers, bad bodies, silence).
/// </summary>
public sealed class MuxWirePeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private MuxWirePeer(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<MuxWirePeer> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).Within();
        return new MuxWirePeer(socket);
    }

    public static async Task<MuxWirePeer> AcceptAsync(TcpListener listener) =>
        new(await listener.AcceptSocketAsync().Within());

    /// <summary>Gateway side of the handshake; returns the shard's HelloOk.</summary>
    public async Task<MuxHelloOk> HandshakeAsync(MuxKeyRing keys, string gatewayId = "gw-raw")
    {
        var (header, payload) = await ReadFrameAsync() ?? throw new InvalidOperationException("closed before Challenge");
        Assert.Equal(MuxFrameType.Challenge, header.Type);
        Assert.Equal(MuxBodyStatus.Ok, MuxBodyCodec.TryDecode(payload, out MuxChallenge? challenge));
        var nonce = MuxHandshakeMac.NewNonce();
        await WriteControlAsync(MuxFrameType.Hello, 0, new MuxHello
        {
            Version = MuxProtocol.Version,
            GatewayId = gatewayId,
            KeyId = keys.SigningKeyId,
            Nonce = nonce,
            Mac = MuxHandshakeMac.ComputeHello(keys.SigningKey, challenge!.Nonce, nonce, gatewayId),
            Settings = new MuxSettings { InitialStreamWindow = 65_536, MaxStreams = 100, MaxFramePayload = 65_536, PingIntervalMs = 0 },
        });
        (header, payload) = await ReadFrameAsync() ?? throw new InvalidOperationException("closed before HelloOk");
        Assert.Equal(MuxFrameType.HelloOk, header.Type);
        Assert.Equal(MuxBodyStatus.Ok, MuxBodyCodec.TryDecode(payload, out MuxHelloOk? helloOk));
        return helloOk!;
    }

    /// <summary>Shard side of the handshake with the real cluster key (a hand-driven shard, to script what it sends next).</summary>
    public async Task<MuxHello> ServerHandshakeAsync(MuxKeyRing keys, string shardId, MuxSettings settings)
    {
        var serverNonce = MuxHandshakeMac.NewNonce();
        await WriteControlAsync(MuxFrameType.Challenge, 0, new MuxChallenge { Version = MuxProtocol.Version, ShardId = shardId, Nonce = serverNonce });
        var (header, payload) = await ReadFrameAsync() ?? throw new InvalidOperationException("closed before Hello");
        Assert.Equal(MuxFrameType.Hello, header.Type);
        Assert.Equal(MuxBodyStatus.Ok, MuxBodyCodec.TryDecode(payload, out MuxHello? hello));
        Assert.True(keys.TryGetKey(hello!.KeyId!, out var key));
        Assert.True(MuxHandshakeMac.VerifyHello(key, serverNonce, hello.Nonce, hello.GatewayId!, hello.Mac));
        await WriteControlAsync(MuxFrameType.HelloOk, 0, new MuxHelloOk
        {
            ShardId = shardId,
            Mac = MuxHandshakeMac.ComputeHelloOk(key, hello.Nonce, serverNonce, shardId),
            Settings = settings,
        });
        return hello;
    }

    public Task WriteControlAsync(MuxFrameType type, uint streamId, Thrift.Protocol.TBase body, MuxFrameFlags flags = MuxFrameFlags.None) =>
        WriteFrameAsync(type, flags, streamId, MuxBodyCodec.Encode(body));

    public Task WriteFrameAsync(MuxFrameType type, MuxFrameFlags flags, uint streamId, byte[] payload)
    {
        var bytes = new byte[MuxFrameHeader.Size + payload.Length];
        MuxFrameCodec.WriteHeader(bytes, new MuxFrameHeader((uint)payload.Length, type, flags, streamId));
        payload.CopyTo(bytes, MuxFrameHeader.Size);
        return WriteRawAsync(bytes);
    }

    public Task WriteRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask().Within();

    public Task OpenAsync(uint streamId, string coupleId = "couple-raw") =>
        WriteControlAsync(MuxFrameType.Open, streamId, new MuxOpen { CoupleId = coupleId, RingEpoch = 1, ClientAddress = "1.2.3.4:5", AuthFrame = [1, 2, 3] });

    /// <summary>The next frame, or null when the peer closed the connection.</summary>
    public async Task<(MuxFrameHeader Header, byte[] Payload)?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        var headerBytes = new byte[MuxFrameHeader.Size];
        if (!await ReadExactlyAsync(headerBytes, timeout))
        {
            return null;
        }

        var status = MuxFrameCodec.TryReadHeader(headerBytes, 16 * 1024 * 1024, out var header);
        Assert.Equal(MuxHeaderStatus.Ok, status);
        var payload = new byte[header.Length];
        if (!await ReadExactlyAsync(payload, timeout))
        {
            return null;
        }

        return (header, payload);
    }

    /// <summary>Reads frames until one of <paramref name="type"/> arrives (null if the connection closes first).</summary>
    public async Task<(MuxFrameHeader Header, byte[] Payload)?> ReadUntilAsync(MuxFrameType type, TimeSpan? timeout = null)
    {
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            if (frame.Header.Type == type)
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>Reads (and drops) frames until the peer closes; returns the GoAway seen on the way, if any.</summary>
    public async Task<MuxGoAway?> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        MuxGoAway? goAway = null;
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            if (frame.Header.Type == MuxFrameType.GoAway)
            {
                MuxBodyCodec.TryDecode(frame.Payload, out goAway);
            }
        }

        return goAway;
    }

    public async Task SendPongAsync(byte[] pingPayload) => await WriteFrameAsync(MuxFrameType.Pong, MuxFrameFlags.None, 0, pingPayload);

    public static byte[] WindowPayload(uint increment)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, increment);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, TimeSpan? timeout)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(timeout ?? Eventually.DefaultTimeout);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            // Connection reset: as closed.
            return false;
        }
    }
}
