namespace Chat.Cluster.Membership;

/// <summary>Outcome of a membership call.</summary>
public enum MembershipResult
{
    Ok,

    /// <summary>
    /// The node exists and belongs to another live session (another process with the same id, or
    /// this process's previous session not yet timed out). The registration keeps trying and takes
    /// the node as soon as it is gone.
    /// </summary>
    OwnedByAnotherSession,

    /// <summary>ZooKeeper did not answer in time (connection loss, timeout, expiry). Retried on reconnect.</summary>
    Unavailable,

    /// <summary>The ZooKeeper client or the registration was closed.</summary>
    Closed,

    /// <summary>ZooKeeper refused the call for another reason (see the log); a bug or a misconfigured server.</summary>
    Refused,
}
