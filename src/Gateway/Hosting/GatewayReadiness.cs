using Chat.Cluster.ZooKeeper;
using Chat.Hosting.Admin;

namespace Chat.Gateway.Hosting;

/// <summary>/readyz: a live ZooKeeper session, a ring with at least one shard, the listener accepting, and the node in /chat/gateways.</summary>
internal sealed class GatewayReadiness(GatewayRuntime runtime) : IReadinessCheck
{
    public string Name => "gateway";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var state = runtime.ZooKeeper?.State;
        var ring = runtime.Ring;
        var result = true switch
        {
            _ when state != ZooKeeperState.Connected => ReadinessResult.NotReady($"ZooKeeper session {state?.ToString() ?? "not started"}"),
            _ when ring.Members.Length == 0 => ReadinessResult.NotReady($"no shard in the ring (epoch {ring.Epoch})"),
            _ when runtime.Listener is not { IsAccepting: true } => ReadinessResult.NotReady("client listener not accepting"),
            _ when runtime.Registration is not { IsRegistered: true } => ReadinessResult.NotReady("not registered in ZooKeeper yet"),
            _ => ReadinessResult.Ok($"ring epoch {ring.Epoch}, {ring.Members.Length} shards, {runtime.Clients.Count} clients"),
        };
        return ValueTask.FromResult(result);
    }
}
