using System.Net;
using Chat.Client.Connection;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Microsoft.Extensions.Logging;

namespace Chat.Client.Diagnostics;

/// <summary>Log messages of the client SDK: event ids 6000-6099, never reused.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Connected to {Endpoint} ({Address}) as {UserId} in couple {CoupleId}, latest seq {LatestSeq}, last seq {LastSeq}")]
    public static partial void Connected(ILogger logger, EndpointAddress endpoint, IPAddress address, string userId, string coupleId, long latestSeq, long lastSeq);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Connection to {Endpoint} ended ({Reason}): {Detail}")]
    public static partial void ConnectionEnded(ILogger logger, EndpointAddress endpoint, DisconnectReason reason, string? detail);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Connecting to {Endpoint} failed ({Reason}): {Detail}")]
    public static partial void ConnectFailed(ILogger logger, EndpointAddress endpoint, DisconnectReason reason, string? detail);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Reconnecting in {DelayMs} ms after {Failures} failures in a row")]
    public static partial void Backoff(ILogger logger, long delayMs, int failures);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "The server refused the token ({Code}): {Detail}")]
    public static partial void AuthRefused(ILogger logger, ErrorCode code, string? detail);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "The token provider failed")]
    public static partial void TokenProviderFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "GoAway from {Endpoint} ({Reason}): reconnecting in {DelayMs} ms (window {WindowMs} ms)")]
    public static partial void GoAway(ILogger logger, EndpointAddress endpoint, string? reason, long delayMs, int windowMs);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Debug, Message = "Seq gap: last delivered {LastSeq}, received {Seq}; syncing")]
    public static partial void GapDetected(ILogger logger, long lastSeq, long seq);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Debug, Message = "ResyncHint (latest seq {LatestSeq}, last seq {LastSeq}): syncing and rewriting {Sends} unacknowledged sends")]
    public static partial void ResyncHint(ILogger logger, long latestSeq, long lastSeq, int sends);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Debug, Message = "Send {ClientMsgId} answered {Code}; retrying in {DelayMs} ms")]
    public static partial void SendRetry(ILogger logger, string clientMsgId, ErrorCode code, long delayMs);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Server error {Code}: {Text}")]
    public static partial void ServerError(ILogger logger, ErrorCode code, string? text);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Bad frame from {Endpoint}: {Status}; closing the connection")]
    public static partial void BadFrame(ILogger logger, EndpointAddress endpoint, FrameStatus status);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Warning, Message = "Nothing received from {Endpoint} for {SilentMs} ms; closing the connection")]
    public static partial void Silent(ILogger logger, EndpointAddress endpoint, long silentMs);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "A Sync to {Endpoint} was not answered within {TimeoutMs} ms; closing the connection")]
    public static partial void SyncTimedOut(ILogger logger, EndpointAddress endpoint, long timeoutMs);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Debug, Message = "Sync failed ({Code}); retrying in {DelayMs} ms")]
    public static partial void SyncRetry(ILogger logger, ErrorCode code, long delayMs);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Debug, Message = "Unexpected {Kind} from the server; ignored")]
    public static partial void UnexpectedPacket(ILogger logger, PacketKind kind);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Error, Message = "An event handler of the app threw; the client goes on")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6017, Level = LogLevel.Warning, Message = "A Sync page was not in ascending seq order after {AfterSeq}; its messages were only offered")]
    public static partial void UnorderedPage(ILogger logger, long afterSeq);

    [LoggerMessage(EventId = 6018, Level = LogLevel.Warning, Message = "The server's latest seq {LatestSeq} is below this client's last seq {LastSeq}")]
    public static partial void ServerBehind(ILogger logger, long latestSeq, long lastSeq);

    [LoggerMessage(EventId = 6019, Level = LogLevel.Error, Message = "The connection loop failed; the client closes")]
    public static partial void SupervisorFailed(ILogger logger, Exception exception);
}
