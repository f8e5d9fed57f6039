using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Chat.Cluster.Membership;

/// <summary>Log events of membership: ids 1100-1199.</summary>
internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Created {Path} (session 0x{SessionId:x})")]
    public static partial void NodeCreated(ILogger logger, string path, long sessionId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Path} belongs to session 0x{OwnerId:x}, not ours (0x{SessionId:x}): another process uses this id, or our previous session has not timed out; retrying")]
    public static partial void NodeOwnedByAnother(ILogger logger, string path, long ownerId, long sessionId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Deleted {Path}")]
    public static partial void NodeDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "ZooKeeper call on {Path} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string path, ZooKeeperError error);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Membership background work failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Ring epoch {Epoch}: {Count} members ({Members})")]
    public static partial void RingPublished(ILogger logger, long epoch, int count, RingSummary members);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Ring member {ShardId} skipped: {Reason}")]
    public static partial void RingMemberSkipped(ILogger logger, string shardId, string reason);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Ring member {ShardId} has no usable shard node ({Reason}); it stays in the ring without an address")]
    public static partial void RingMemberWithoutAddress(ILogger logger, string shardId, string reason);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Error, Message = "Ring at epoch {Epoch} is invalid, keeping epoch {Current}: {Reason}")]
    public static partial void RingInvalid(ILogger logger, long epoch, long current, string reason);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Error, Message = "Ring epoch went back from {Current} to {Epoch} ({Path} re-created?): keeping the current ring")]
    public static partial void RingEpochWentBack(ILogger logger, long epoch, long current, string path);

    [LoggerMessage(EventId = 1115, Level = LogLevel.Warning, Message = "Ring not readable ({Error}): keeping epoch {Current}")]
    public static partial void RingUnavailable(ILogger logger, ZooKeeperError error, long current);

    [LoggerMessage(EventId = 1116, Level = LogLevel.Error, Message = "A ring change handler failed")]
    public static partial void RingHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Debug, Message = "Gateway {GatewayId} published {Connections} connections, cpu {Cpu:F2}, weight {Weight}, draining {Draining}")]
    public static partial void GatewayPublished(ILogger logger, string gatewayId, int connections, double cpu, int weight, bool draining);

    [LoggerMessage(EventId = 1130, Level = LogLevel.Debug, Message = "Gateway directory {Version}: {Count} gateways")]
    public static partial void GatewaysPublished(ILogger logger, long version, int count);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Warning, Message = "Gateway {GatewayId} skipped: {Reason}")]
    public static partial void GatewaySkipped(ILogger logger, string gatewayId, string reason);

    [LoggerMessage(EventId = 1132, Level = LogLevel.Warning, Message = "Gateways not readable ({Error}): keeping the last list")]
    public static partial void GatewaysUnavailable(ILogger logger, ZooKeeperError error);

    [LoggerMessage(EventId = 1133, Level = LogLevel.Error, Message = "A gateway directory change handler failed")]
    public static partial void GatewayHandlerFailed(ILogger logger, Exception exception);
}
