using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>One real shard (alone in its ring, so it owns every couple), shared by a test class.</summary>
public sealed class SingleShardFixture : IAsyncLifetime
{
    internal ShardCluster Cluster { get; } = new();

    internal ShardProcess Shard { get; private set; } = null!;

    public async Task InitializeAsync() => Shard = await Cluster.StartAsync("s1", "--auth-timeout", "00:00:02", "--rate", "1000", "--rate-burst", "1000");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
