using Chat.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Lifecycle;

/// <summary>Log events of the gateway drain: ids 4300-4399.</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Drain: stopped accepting, {Open} client connections open")]
    public static partial void StoppedAccepting(ILogger logger, int open);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Drain: published weight 0 ({Result})")]
    public static partial void PublishedDraining(ILogger logger, MembershipResult result);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Drain: sending GoAway to {Count} clients over {Window}")]
    public static partial void GoAwayStarted(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Drain: every client has had its GoAway ({Sent} sent), {Open} still open")]
    public static partial void GoAwayFinished(ILogger logger, int sent, int open);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Drain: closed {Count} clients that did not leave after their GoAway")]
    public static partial void ForcedClose(ILogger logger, int count);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "Drain: timeout {Timeout} reached with {Open} clients open; closing them")]
    public static partial void TimedOut(ILogger logger, TimeSpan timeout, int open);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Information, Message = "Drain: no clients left; deregistered ({Result})")]
    public static partial void Deregistered(ILogger logger, MembershipResult result);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Warning, Message = "Drain: cut short by the host with {Open} clients open")]
    public static partial void CutShort(ILogger logger, int open);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Warning, Message = "Drain: ZooKeeper call '{Call}' did not finish within {Timeout}; going on without it")]
    public static partial void ZooKeeperSlow(ILogger logger, string call, TimeSpan timeout);
}
