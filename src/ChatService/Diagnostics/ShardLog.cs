using Chat.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace Chat.ChatService.Diagnostics;

/// <summary>Log messages of the chat shard; event ids 5000-5199, never reused. Client-caused failures at Debug.</summary>
internal static partial class ShardLog
{
    // 5000-5049: process, listeners, membership, drain.
    [LoggerMessage(5000, LogLevel.Information, "Shard {ShardId} listening for {Kind} connections on {EndPoint}")]
    public static partial void Listening(ILogger logger, string shardId, string kind, string endPoint);

    [LoggerMessage(5001, LogLevel.Information, "Shard {ShardId} ready: registered and in the ring at epoch {Epoch}")]
    public static partial void Ready(ILogger logger, string shardId, long epoch);

    [LoggerMessage(5002, LogLevel.Information, "Ring epoch {Epoch}: {Members} members, this shard {Membership}")]
    public static partial void RingChanged(ILogger logger, long epoch, int members, string membership);

    [LoggerMessage(5003, LogLevel.Warning, "Membership call {Call} answered {Result}; retried in the background")]
    public static partial void MembershipPending(ILogger logger, string call, string result);

    [LoggerMessage(5004, LogLevel.Warning, "Drain: left the ring, waiting up to {Timeout} for {Connections} connections to move")]
    public static partial void DrainLeftRing(ILogger logger, TimeSpan timeout, long connections);

    [LoggerMessage(5005, LogLevel.Warning, "Drain: {Connections} connections still open after the wait; closing them")]
    public static partial void DrainClosingRest(ILogger logger, long connections);

    [LoggerMessage(5006, LogLevel.Information, "Drain: deregistered, stopping")]
    public static partial void DrainDone(ILogger logger);

    [LoggerMessage(5007, LogLevel.Information, "Shard {ShardId} stopped")]
    public static partial void Stopped(ILogger logger, string shardId);

    // 5008 was "mux listener not available" (before the mux was wired); retired, not reused.

    // 5050-5099: connections and auth.
    [LoggerMessage(5050, LogLevel.Debug, "{Connection}: authenticated user {UserId} device {DeviceId} of couple {CoupleId}")]
    public static partial void Authenticated(ILogger logger, string connection, string userId, string deviceId, string coupleId);

    [LoggerMessage(5051, LogLevel.Debug, "{Connection}: token refused ({Failure})")]
    public static partial void AuthRefused(ILogger logger, string connection, string failure);

    [LoggerMessage(5052, LogLevel.Debug, "{Connection}: no Auth within the deadline")]
    public static partial void AuthTimeout(ILogger logger, string connection);

    [LoggerMessage(5053, LogLevel.Debug, "{Connection}: bad frame ({Status}); closing")]
    public static partial void BadFrame(ILogger logger, string connection, FrameStatus status);

    [LoggerMessage(5054, LogLevel.Debug, "{Connection}: couple {CoupleId} is not ours at ring epoch {Epoch} (owner {Owner})")]
    public static partial void NotOwner(ILogger logger, string connection, string coupleId, long epoch, string owner);

    [LoggerMessage(5055, LogLevel.Warning, "{Connection}: stream routed for couple {RoutedCoupleId} carries a token of couple {TokenCoupleId}")]
    public static partial void RouteMismatch(ILogger logger, string connection, string routedCoupleId, string tokenCoupleId);

    [LoggerMessage(5056, LogLevel.Debug, "{Connection}: connection fault")]
    public static partial void ConnectionFault(ILogger logger, string connection, Exception exception);

    // 5100-5149: couples.
    [LoggerMessage(5100, LogLevel.Information, "Couple {CoupleId} moved to {Owner} at ring epoch {Epoch}: ending {Devices} connections")]
    public static partial void CoupleMoved(ILogger logger, string coupleId, string owner, long epoch, int devices);

    [LoggerMessage(5101, LogLevel.Debug, "Couple {CoupleId}: device {DeviceId} on {Connection} stopped reading; cut off")]
    public static partial void SlowConsumer(ILogger logger, string coupleId, string deviceId, string connection);

    [LoggerMessage(5102, LogLevel.Debug, "Couple {CoupleId}: seq {Seq} never arrived; skipping it ({Waiting} messages were waiting)")]
    public static partial void DeliveryGapSkipped(ILogger logger, string coupleId, long seq, int waiting);

    [LoggerMessage(5103, LogLevel.Error, "Couple {CoupleId}: a store call threw (a bug: failures are statuses)")]
    public static partial void StoreCallThrew(ILogger logger, string coupleId, Exception exception);
}
