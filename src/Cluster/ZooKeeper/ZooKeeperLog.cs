using Microsoft.Extensions.Logging;

namespace Chat.Cluster.ZooKeeper;

/// <summary>Log events of the ZooKeeper client: ids 1000-1099.</summary>
internal static partial class ZooKeeperLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Connecting to ZooKeeper {Host}:{Port} (session 0x{SessionId:x})")]
    public static partial void Connecting(ILogger logger, string host, int port, long sessionId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "ZooKeeper {Server} serves session 0x{SessionId:x} (timeout {TimeoutMs} ms, new session: {IsNew})")]
    public static partial void Connected(ILogger logger, string server, long sessionId, long timeoutMs, bool isNew);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "ZooKeeper {Host}:{Port} not usable: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string? reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Lost ZooKeeper {Server} (session 0x{SessionId:x}): {Reason}; trying the next server")]
    public static partial void ConnectionLost(ILogger logger, string server, long sessionId, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "ZooKeeper session 0x{SessionId:x} expired: its ephemeral nodes and watches are gone; opening a new session")]
    public static partial void SessionExpired(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "ZooKeeper client closed (session 0x{SessionId:x})")]
    public static partial void Closed(ILogger logger, long sessionId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "A ZooKeeper watch or state callback failed")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Re-armed {Count} watches on ZooKeeper {Server}")]
    public static partial void WatchesRestored(ILogger logger, string server, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "ZooKeeper {Server} refused SetWatches: {Error}")]
    public static partial void SetWatchesFailed(ILogger logger, string server, ZooKeeperError error);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "ZooKeeper watch event {Type} on {Path} fires {Count} watchers")]
    public static partial void WatchEvent(ILogger logger, WatchEventType type, string path, int count);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "ZooKeeper request queue full ({Max} calls pending): call refused")]
    public static partial void QueueFull(ILogger logger, int max);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "ZooKeeper call refused: bad path '{Path}': {Reason}")]
    public static partial void BadPath(ILogger logger, string path, string reason);
}
