namespace Chat.Hosting.Lifecycle;

/// <summary>
/// What a server does to leave service gracefully (the gateway: stop accepting, publish weight 0,
/// GoAway its clients, wait until they are gone; the shard: leave the ring, wait until gateways have
/// moved its streams). Run at most once per process, by <see cref="DrainController"/>.
/// </summary>
public interface IDrainProcedure
{
    /// <summary>
    /// Runs the drain to its end. Cancellation means the host's shutdown timeout ran out: stop
    /// waiting and return; the process exits anyway.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>How far the drain is, for `GET /admin/drain` and a lifecycle-hook script.</summary>
    DrainProgress Progress { get; }
}

/// <summary>Remaining work (connections or streams still open) and a few words for operators.</summary>
public readonly record struct DrainProgress(long Remaining, string Detail);
