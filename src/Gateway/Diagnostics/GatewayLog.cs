using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Diagnostics;

/// <summary>
/// Log messages of the gateway's edge, routing, relay and shard pool. Event ids 7000-7199
/// (7000 edge, 7020 routing, 7040 relay and re-homing, 7080 shard pool, 7120 host).
/// Client-caused failures are Debug: a misbehaving client must not be able to flood the logs.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(7000, LogLevel.Information, "Client listener on {EndPoint} ({Transport})")]
    public static partial void Listening(ILogger logger, string endPoint, string transport);

    [LoggerMessage(7002, LogLevel.Debug, "Connection {ConnectionId} failed: {Error}")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, string error);

    [LoggerMessage(7003, LogLevel.Information, "Client listener stopped accepting")]
    public static partial void StoppedAccepting(ILogger logger);

    [LoggerMessage(7020, LogLevel.Debug, "Connection {ConnectionId} closed before authenticating: {Reason}")]
    public static partial void AuthRejected(ILogger logger, string connectionId, string reason);

    [LoggerMessage(7021, LogLevel.Debug, "Connection {ConnectionId} authenticated as {UserId} of couple {CoupleId}")]
    public static partial void Authenticated(ILogger logger, string connectionId, string userId, string coupleId);

    [LoggerMessage(7040, LogLevel.Debug, "Connection {ConnectionId}: stream {StreamId} open at shard {ShardId} (epoch {Epoch}, migrated {Migrated})")]
    public static partial void StreamOpened(ILogger logger, string connectionId, uint streamId, string shardId, long epoch, bool migrated);

    [LoggerMessage(7041, LogLevel.Information, "Connection {ConnectionId} of couple {CoupleId}: re-homing after {Cause} from shard {ShardId} ({Detail})")]
    public static partial void Rehoming(ILogger logger, string connectionId, string coupleId, string cause, string shardId, string detail);

    [LoggerMessage(7042, LogLevel.Warning, "Connection {ConnectionId} of couple {CoupleId}: cannot reach an owner ({Reason}); closing it so the client reconnects")]
    public static partial void RouteFailed(ILogger logger, string connectionId, string coupleId, string reason);

    [LoggerMessage(7043, LogLevel.Debug, "Connection {ConnectionId}: stream ended ({Cause}); closing the client")]
    public static partial void StreamEndedClosingClient(ILogger logger, string connectionId, string cause);

    [LoggerMessage(7044, LogLevel.Warning, "Connection {ConnectionId}: shard {ShardId} sent a bad frame ({Status}); closing the client")]
    public static partial void ShardFrameError(ILogger logger, string connectionId, string shardId, string status);

    [LoggerMessage(7045, LogLevel.Debug, "Connection {ConnectionId}: bad frame from the client ({Status})")]
    public static partial void ClientFrameError(ILogger logger, string connectionId, string status);

    [LoggerMessage(7080, LogLevel.Information, "Mux connection to shard {ShardId} at {EndPoint} established")]
    public static partial void ShardConnected(ILogger logger, string shardId, string endPoint);

    [LoggerMessage(7081, LogLevel.Warning, "Mux connection to shard {ShardId} at {EndPoint} failed: {Status} {Detail}; next try in {DelayMs} ms")]
    public static partial void ShardConnectFailed(ILogger logger, string shardId, string endPoint, string status, string detail, long delayMs);

    [LoggerMessage(7082, LogLevel.Information, "Mux connection to shard {ShardId} at {EndPoint} closed")]
    public static partial void ShardDisconnected(ILogger logger, string shardId, string endPoint);

    [LoggerMessage(7083, LogLevel.Information, "Closing idle mux connections to shard {ShardId}: no longer in the ring")]
    public static partial void ShardRetired(ILogger logger, string shardId);

    [LoggerMessage(7120, LogLevel.Information, "Gateway {GatewayId} ready: clients on {EndPoint}, ring epoch {Epoch} with {Members} shards")]
    public static partial void Ready(ILogger logger, string gatewayId, string endPoint, long epoch, int members);

    [LoggerMessage(7121, LogLevel.Information, "Ring epoch {Epoch}: {Members} shards")]
    public static partial void RingChanged(ILogger logger, long epoch, int members);

    [LoggerMessage(7122, LogLevel.Warning, "ZooKeeper step pending: {Step} ({Result}); retried in the background")]
    public static partial void MembershipPending(ILogger logger, string step, string result);

    [LoggerMessage(7123, LogLevel.Information, "Gateway {GatewayId} stopped")]
    public static partial void Stopped(ILogger logger, string gatewayId);
}
