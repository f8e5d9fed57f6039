using System.Net;
using Chat.Cluster.Routing;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Edge;
using Chat.Gateway.Hosting;
using Chat.Gateway.Relay;
using Chat.Gateway.Shards;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Tests.Gateway.Support;

/// <summary>
/// The gateway's edge, router, relay and shard pool composed as the process composes them (plain
/// TCP listener on loopback port 0), in front of in-process mux shards and a hand-set ring.
/// </summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    private readonly IEventLoopGroup _group;
    private readonly ClientListener _listener;

    private RelayHarness(IEventLoopGroup group, ClientListener listener, TestRing ring, MuxTestShard[] shards, TokenSigner signer,
        ClientRegistry clients, GatewayMetrics metrics, ShardConnectionPool pool)
    {
        _group = group;
        _listener = listener;
        Ring = ring;
        Shards = shards;
        Signer = signer;
        Clients = clients;
        Metrics = metrics;
        Pool = pool;
    }

    public TestRing Ring { get; }

    public MuxTestShard[] Shards { get; }

    public TokenSigner Signer { get; }

    public ClientRegistry Clients { get; }

    public GatewayMetrics Metrics { get; }

    public ShardConnectionPool Pool { get; }

    public IPEndPoint EndPoint => _listener.LocalEndPoint;

    public static async Task<RelayHarness> StartAsync(
        int shardCount = 2, Action<GatewayLimitsOptions>? limits = null, Action<ShardPoolOptions>? pool = null, Action<MuxClientOptions>? mux = null)
    {
        var group = new MultithreadEventLoopGroup(2);
        var clusterKeys = new MuxKeyRing("c1", new Dictionary<string, byte[]> { ["c1"] = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray() });
        var tokenKeys = new KeyRing([SecretKey.Generate("k1")]);
        var shards = new MuxTestShard[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            shards[i] = await MuxTestShard.StartAsync($"s{i + 1}", clusterKeys, group);
        }

        var limitOptions = new GatewayLimitsOptions { AuthTimeout = TimeSpan.FromSeconds(5) };
        limits?.Invoke(limitOptions);
        var poolOptions = new ShardPoolOptions { UnreachableGrace = TimeSpan.FromSeconds(5) };
        pool?.Invoke(poolOptions);
        var muxOptions = new MuxClientOptions { GatewayId = "g-test", Keys = clusterKeys, CreditMode = MuxCreditMode.Explicit, PingInterval = TimeSpan.Zero, InitialStreamWindow = limitOptions.StreamWindow };
        mux?.Invoke(muxOptions);
        var client = new MuxClient(muxOptions, group, TestLog.Factory());
        var shardPool = new ShardConnectionPool(client.ConnectAsync, poolOptions, NullLogger.Instance, TimeProvider.System, new Random(7));
        var ring = new TestRing();
        ring.Changed += shardPool.OnRingChanged;
        ring.Set(1, [.. shards.Select(Member)]);

        var registry = new ClientRegistry();
        var metrics = new GatewayMetrics(null);
        var context = new RelayContext(ring, shardPool, limitOptions, poolOptions, registry, metrics, TestLog.Create(), TimeProvider.System);
        var codec = new PacketCodec(new FrameCodec(new FrameOptions { MaxFrameLength = limitOptions.MaxFrame }));
        var initializer = new ClientChannelInitializer(context, new TokenVerifier(tokenKeys), codec, null, null);
        var listener = await ClientListener.BindAsync(group, group, new IPEndPoint(IPAddress.Loopback, 0), initializer, tls: false, NullLogger.Instance);
        return new RelayHarness(group, listener, ring, shards, new TokenSigner(tokenKeys), registry, metrics, shardPool);
    }

    public static RingMember Member(MuxTestShard shard) => new(shard.Id, "127.0.0.1", shard.Port, RingMember.NormalWeight);

    /// <summary>A couple id the current ring gives to <paramref name="shardId"/>.</summary>
    public string CoupleOwnedBy(string shardId, int skip = 0)
    {
        for (var i = 0; ; i++)
        {
            var couple = $"c{i}";
            if (Ring.Current.OwnerOf(couple)?.ShardId == shardId && skip-- == 0)
            {
                return couple;
            }
        }
    }

    /// <summary>Connects, authenticates for <paramref name="couple"/>, and reads the echoed Auth frame (the shard accepted the stream).</summary>
    public async Task<TestClient> ConnectAsync(string couple, string user = "u1", int? receiveBuffer = null)
    {
        var client = await TestClient.ConnectAsync(EndPoint, receiveBuffer);
        var auth = TestFrames.Auth(Signer.Issue(user, couple, TimeSpan.FromHours(1)));
        await client.SendAsync(auth);
        var echoed = await client.ReadFrameAsync();
        Assert.Equal(auth, echoed);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.StopAcceptingAsync();
        foreach (var channel in Clients.Channels())
        {
            await channel.CloseAsync();
        }

        await Pool.DisposeAsync();
        foreach (var shard in Shards)
        {
            await shard.DisposeAsync();
        }

        Metrics.Dispose();
        await _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
