namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// Outcome of a ZooKeeper call. Negative values from -1 to -199 are the server's codes
/// (<c>KeeperException.Code</c>); values from -1000 are this client's own.
/// </summary>
public enum ZooKeeperError
{
    Ok = 0,
    SystemError = -1,
    RuntimeInconsistency = -2,
    DataInconsistency = -3,

    /// <summary>
    /// The connection to the server broke before the reply came: the call may or may not have
    /// taken effect. The session lives on; the client reconnects by itself.
    /// </summary>
    ConnectionLoss = -4,

    /// <summary>A reply did not parse; the connection was dropped and is being re-established.</summary>
    MarshallingError = -5,
    Unimplemented = -6,

    /// <summary>The call's timeout passed (queued while disconnected, or no reply in time); outcome unknown.</summary>
    OperationTimeout = -7,

    /// <summary>A malformed path or argument, refused before anything was sent.</summary>
    BadArguments = -8,
    UnknownSession = -12,
    NewConfigNoQuorum = -13,
    ReconfigInProgress = -14,
    ApiError = -100,
    NoNode = -101,
    NoAuth = -102,
    BadVersion = -103,
    NoChildrenForEphemerals = -108,
    NodeExists = -110,
    NotEmpty = -111,

    /// <summary>
    /// The session ended (server-side timeout or closed by its owner): its ephemeral nodes and
    /// watches are gone. The client opens a new session by itself.
    /// </summary>
    SessionExpired = -112,
    InvalidCallback = -113,
    InvalidAcl = -114,
    AuthFailed = -115,
    SessionMoved = -118,
    NotReadOnly = -119,
    EphemeralOnLocalSession = -120,
    NoWatcher = -121,
    RequestTimeout = -122,
    ReconfigDisabled = -123,
    SessionClosedRequireSasl = -124,
    QuotaExceeded = -125,
    Throttled = -127,

    /// <summary>Too many calls queued or in flight (<see cref="ZooKeeperClientOptions.MaxPendingRequests"/>).</summary>
    RequestQueueFull = -1000,

    /// <summary>The client was closed.</summary>
    ClientClosed = -1001,
}
