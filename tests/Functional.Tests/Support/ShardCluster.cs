using Chat.Cluster.Routing;

namespace Chat.Tests.Functional.Support;

/// <summary>
/// Real shard processes of one test class: their own ZooKeeper root (/t-&lt;guid&gt;) on the test
/// ZooKeeper, the test Redis, fresh keys. Every process is killed on dispose.
/// </summary>
internal sealed class ShardCluster : IAsyncDisposable
{
    private readonly List<ShardProcess> _shards = [];

    public ShardCluster(string? redis = null)
    {
        Redis = redis ?? TestServers.Redis;
    }

    public TestKeys Keys { get; } = new();

    public string Root { get; } = "/t-" + Guid.NewGuid().ToString("N");

    public string Redis { get; }

    public ShardSettings Settings(string shardId) => new(shardId, Root, Keys, Redis);

    public async Task<ShardProcess> StartAsync(string shardId, params string[] extraArgs)
    {
        var shard = await ShardProcess.StartAsync(Settings(shardId), extraArgs);
        lock (_shards)
        {
            // Shards may be started concurrently.
            _shards.Add(shard);
        }

        return shard;
    }

    /// <summary>The started shard <paramref name="shardId"/>.</summary>
    public ShardProcess Shard(string shardId) => _shards.Single(s => s.ShardId == shardId);

    /// <summary>A couple id (with <paramref name="prefix"/>) that the ring of <paramref name="members"/> (weight 100 each) gives to <paramref name="owner"/>.</summary>
    public static string CoupleOwnedBy(string owner, string[] members, string prefix)
    {
        var ring = new RingSnapshot(1, members.Select(m => new RingMember(m, "127.0.0.1", 1, RingMember.NormalWeight)));
        for (var i = 0; ; i++)
        {
            var couple = $"{prefix}-{i}";
            if (ring.OwnerOf(couple)!.ShardId == owner)
            {
                return couple;
            }
        }
    }

    /// <summary>A fresh couple id for one test (unique per run, so Redis state never leaks between runs).</summary>
    public static string NewCouple(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 33)];

    public async ValueTask DisposeAsync()
    {
        foreach (var shard in _shards)
        {
            await shard.DisposeAsync();
        }

        Keys.Dispose();
    }
}
