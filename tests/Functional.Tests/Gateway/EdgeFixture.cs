using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// One shard and one TLS gateway with short edge deadlines (TLS handshake 1 s, Auth 2 s), shared
/// by the bad-input cases of one test class.
/// </summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    internal GatewayCluster Cluster { get; } = new();

    internal GatewayProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Cluster.StartShardAsync("s1");
        Gateway = await Cluster.StartGatewayAsync("g1", "--Tls:HandshakeTimeout", "00:00:01", "--auth-timeout", "00:00:02");
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
