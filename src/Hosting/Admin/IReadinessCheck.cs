namespace Chat.Hosting.Admin;

/// <summary>
/// One condition `/readyz` requires (a ZooKeeper session, a ring, a reachable Redis...).
/// Checks must be cheap and must not block: they are called on every probe.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Short name shown in the `/readyz` body, e.g. "zookeeper".</summary>
    string Name { get; }

    ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The outcome of one readiness check: ready or not, and why, in a few words.</summary>
public readonly record struct ReadinessResult(bool Ready, string Detail)
{
    public static ReadinessResult Ok(string detail = "ok") => new(true, detail);

    public static ReadinessResult NotReady(string detail) => new(false, detail);
}
