using System.Net;
using Chat.Client;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// Real shard and gateway processes of one test class on their own ZooKeeper root, the test Redis,
/// fresh keys and a test certificate (gateways terminate TLS). Every process is killed on dispose.
/// </summary>
internal sealed class GatewayCluster : IAsyncDisposable
{
    private readonly ShardCluster _shards;
    private readonly List<GatewayProcess> _gateways = [];

    public GatewayCluster(string? redis = null)
    {
        _shards = new ShardCluster(redis);
    }

    public TestKeys Keys => _shards.Keys;

    public TestCertificate Certificate { get; } = new();

    public string Root => _shards.Root;

    public Task<ShardProcess> StartShardAsync(string shardId, params string[] extraArgs) => _shards.StartAsync(shardId, extraArgs);

    /// <summary>The started shard <paramref name="shardId"/>.</summary>
    public ShardProcess Shard(string shardId) => _shards.Shard(shardId);

    /// <summary>The started gateway <paramref name="gatewayId"/>.</summary>
    public GatewayProcess Gateway(string gatewayId) => _gateways.Single(g => g.GatewayId == gatewayId);

    public async Task<GatewayProcess> StartGatewayAsync(string gatewayId, params string[] extraArgs)
    {
        var gateway = await GatewayProcess.StartAsync(new GatewaySettings(gatewayId, Root, Keys, Certificate), extraArgs);
        lock (_gateways)
        {
            // Gateways may be started concurrently.
            _gateways.Add(gateway);
        }

        return gateway;
    }

    /// <summary>SDK options for a device connecting over TLS to <paramref name="gateways"/> (pinned test CA, server name localhost).</summary>
    public ChatClientOptions ClientOptions(string user, string couple, string device, params IPEndPoint[] gateways) => new()
    {
        Endpoints = [.. gateways.Select(g => g.ToString())],
        UseTls = true,
        TlsServerName = "localhost",
        PinnedCaCertificate = Certificate.Ca,
        DeviceId = device,
        TokenProvider = _ => ValueTask.FromResult(Keys.Token(user, couple)),
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(1),
        SendTimeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _shards.DisposeAsync();
        Certificate.Dispose();
    }
}
