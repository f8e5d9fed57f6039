using System.Buffers;
using System.Net;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// The gateway side of mux connections in tests: the real <see cref="MuxClient"/> with the cluster
/// key from the test's key file (or another key, to be refused), opening streams whose ends are
/// <see cref="MuxTestStream"/>s. One event loop, shut down on dispose.
/// </summary>
internal sealed class MuxTestGateway : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly MultithreadEventLoopGroup _group = new(1);
    private readonly MuxClient _client;
    private readonly List<MuxClientConnection> _connections = [];

    public MuxTestGateway(MuxKeyRing keys, string gatewayId = "gw-test")
    {
        _client = new MuxClient(new MuxClientOptions { GatewayId = gatewayId, Keys = keys }, _group);
    }

    /// <summary>The cluster key file of the test shards, as the mux key ring.</summary>
    public static MuxKeyRing KeysFrom(string keyFile)
    {
        if (!KeyFile.TryLoad(keyFile, out var keys, out var error))
        {
            throw new InvalidOperationException(error.Message);
        }

        return new MuxKeyRing(keys.SigningKey.Id, keys.Keys.ToDictionary(k => k.Id, k => k.Secret.ToArray()));
    }

    /// <summary>A key ring with the right key id but other secret bytes (a process without the cluster key).</summary>
    public static MuxKeyRing ForgedKeys(string keyFile)
    {
        var real = KeysFrom(keyFile);
        return new MuxKeyRing(real.SigningKeyId, new Dictionary<string, byte[]> { [real.SigningKeyId] = new byte[32] });
    }

    public async Task<MuxConnectResult> TryConnectAsync(IPEndPoint shard, string? shardId)
    {
        var result = await _client.ConnectAsync(shard, shardId).AsTask().WaitAsync(Timeout);
        if (result.Connection is { } connection)
        {
            _connections.Add(connection);
        }

        return result;
    }

    public async Task<MuxClientConnection> ConnectAsync(IPEndPoint shard, string shardId)
    {
        var result = await TryConnectAsync(shard, shardId);
        return result.Connection ?? throw new InvalidOperationException($"mux connect to {shardId} failed: {result.Status} {result.Detail}");
    }

    /// <summary>Opens a stream carrying <paramref name="auth"/> as its Auth frame (routed for <paramref name="coupleId"/> at <paramref name="epoch"/>).</summary>
    public static async Task<MuxTestStream> OpenAsync(MuxClientConnection connection, string coupleId, long epoch, Auth auth, bool migrated = false)
    {
        var writer = new ArrayBufferWriter<byte>();
        if (PacketCodec.Default.Write(auth, writer) != FrameStatus.Ok)
        {
            throw new InvalidOperationException("Auth too large");
        }

        var stream = new MuxTestStream();
        var request = new MuxOpenRequest(coupleId, epoch, "127.0.0.1:40000", writer.WrittenMemory.ToArray(), migrated);
        var opened = await connection.OpenStreamAsync(request, new ActionChannelInitializer<IChannel>(c =>
        {
            stream.Attach((MuxStreamChannel)c);
            c.Pipeline.AddLast("test-stream", stream);
        })).AsTask().WaitAsync(Timeout);
        if (opened.Status != MuxOpenStatus.Opened)
        {
            throw new InvalidOperationException($"open failed: {opened.Status}");
        }

        return stream;
    }

    /// <summary>Opens a stream and waits for AuthOk.</summary>
    public static async Task<(MuxTestStream Stream, AuthOk AuthOk)> OpenAndAuthAsync(MuxClientConnection connection, string coupleId, long epoch, string token, string deviceId, bool migrated = false)
    {
        var stream = await OpenAsync(connection, coupleId, epoch, new Auth { Token = token, DeviceId = deviceId }, migrated);
        var reply = await stream.ReceiveAsync();
        if (reply?.Kind != PacketKind.AuthOk)
        {
            throw new InvalidOperationException($"expected AuthOk, got {Support.ChatTestClient.Describe(reply)}; end: {(stream.Ended.IsCompleted ? stream.Ended.Result : null)}");
        }

        return (stream, reply.AuthOk!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.CloseAsync().WaitAsync(Timeout);
        }

        await _group.ShutdownGracefullyAsync(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)).WaitAsync(Timeout);
    }
}
