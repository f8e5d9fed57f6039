using Chat.Cluster.ZooKeeper;
using Chat.Hosting.Admin;

namespace Chat.ChatService.Hosting;

/// <summary>/readyz: a live ZooKeeper session, a ring read, and this shard in it.</summary>
internal sealed class ZooKeeperReadiness(ShardRuntime runtime) : IReadinessCheck
{
    public string Name => "zookeeper";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var state = runtime.ZooKeeper?.State;
        var ring = runtime.Ring;
        if (state != ZooKeeperState.Connected)
        {
            return ValueTask.FromResult(ReadinessResult.NotReady($"session {state?.ToString() ?? "not started"}"));
        }

        if (ring.Epoch < 0)
        {
            return ValueTask.FromResult(ReadinessResult.NotReady("no ring read yet"));
        }

        return ValueTask.FromResult(ring.Find(runtime.ShardId) is null
            ? ReadinessResult.NotReady($"not in the ring at epoch {ring.Epoch}")
            : ReadinessResult.Ok($"in the ring at epoch {ring.Epoch} with {ring.Members.Length} members"));
    }
}
