using Chat.ChatService.Storage;
using Chat.Hosting.Admin;

namespace Chat.ChatService.Hosting;

/// <summary>/readyz: Redis answers a read (the latest seq of a probe couple) within a second.</summary>
internal sealed class RedisReadiness(ShardRuntime runtime) : IReadinessCheck
{
    private const string ProbeCouple = "readyz-probe";

    public string Name => "redis";

    public async ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (runtime.Store is not { } store)
        {
            return ReadinessResult.NotReady("not connected yet");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            var result = await store.LatestSeqAsync(ProbeCouple, timeout.Token);
            return result.Status == StoreStatus.Ok ? ReadinessResult.Ok() : ReadinessResult.NotReady(result.Status.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ReadinessResult.NotReady("no answer within 1 s");
        }
    }
}
