using System.Net;
using System.Net.Sockets;
using Chat.Protocol.Multiplexing;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// A gateway written by hand on a plain socket with the protocol's mux codecs: it can do the real
/// handshake and then send what a correct gateway never would (Data for a stream never opened).
/// </summary>
internal sealed class MuxRawPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private MuxRawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<MuxRawPeer> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(endPoint, cts.Token);
        return new MuxRawPeer(socket);
    }

    /// <summary>Answers the shard's Challenge with a Hello signed by <paramref name="keys"/>; returns the shard's answer frame type.</summary>
    public async Task<MuxFrameType?> HandshakeAsync(MuxKeyRing keys)
    {
        var challengeFrame = await ReadFrameAsync() ?? throw new InvalidOperationException("closed before Challenge");
        if (challengeFrame.Header.Type != MuxFrameType.Challenge || MuxBodyCodec.TryDecode(challengeFrame.Payload, out MuxChallenge? challenge) != MuxBodyStatus.Ok)
        {
            throw new InvalidOperationException($"expected Challenge, got {challengeFrame.Header.Type}");
        }

        var nonce = MuxHandshakeMac.NewNonce();
        await WriteFrameAsync(MuxFrameType.Hello, 0, MuxBodyCodec.Encode(new MuxHello
        {
            Version = MuxProtocol.Version,
            GatewayId = "gw-raw",
            KeyId = keys.SigningKeyId,
            Nonce = nonce,
            Mac = MuxHandshakeMac.ComputeHello(keys.SigningKey, challenge!.Nonce, nonce, "gw-raw"),
            Settings = new MuxSettings { InitialStreamWindow = 65_536, MaxStreams = 100, MaxFramePayload = 131_072, PingIntervalMs = 0 },
        }));
        return (await ReadFrameAsync())?.Header.Type;
    }

    public async Task WriteFrameAsync(MuxFrameType type, uint streamId, byte[] payload)
    {
        var bytes = new byte[MuxFrameHeader.Size + payload.Length];
        MuxFrameCodec.WriteHeader(bytes, new MuxFrameHeader((uint)payload.Length, type, MuxFrameFlags.None, streamId));
        payload.CopyTo(bytes, MuxFrameHeader.Size);
        await _stream.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
    }

    /// <summary>Reads frames until the shard closes the connection; returns the GoAway seen on the way, if any.</summary>
    public async Task<MuxGoAway?> ReadUntilClosedAsync()
    {
        MuxGoAway? goAway = null;
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Header.Type == MuxFrameType.GoAway && MuxBodyCodec.TryDecode(frame.Payload, out MuxGoAway? decoded) == MuxBodyStatus.Ok)
            {
                goAway = decoded;
            }
        }

        return goAway;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<(MuxFrameHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        var header = new byte[MuxFrameHeader.Size];
        if (!await ReadExactlyAsync(header))
        {
            return null;
        }

        if (MuxFrameCodec.TryReadHeader(header, 16 * 1024 * 1024, out var parsed) != MuxHeaderStatus.Ok)
        {
            throw new InvalidOperationException("the shard sent a bad mux header");
        }

        var payload = new byte[parsed.Length];
        return await ReadExactlyAsync(payload) ? (parsed, payload) : null;
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Timeout);
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            // Closed or reset by the shard.
            return false;
        }
    }
}
