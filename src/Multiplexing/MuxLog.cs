using Chat.Protocol.Multiplexing;
using Microsoft.Extensions.Logging;

namespace Chat.Multiplexing;

/// <summary>Log messages of the mux layer (event ids 2000-2099, never reused).</summary>
internal static partial class MuxLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Mux connection {ConnectionId} established with {PeerId} ({Role})")]
    public static partial void Established(ILogger logger, string connectionId, string peerId, string role);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Mux connection {ConnectionId} from {RemoteAddress}: handshake failed: {Detail}")]
    public static partial void HandshakeFailed(ILogger logger, string connectionId, string? remoteAddress, string detail);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Mux connection {ConnectionId} from {RemoteAddress}: no handshake within {Timeout}")]
    public static partial void HandshakeTimeout(ILogger logger, string connectionId, string? remoteAddress, TimeSpan timeout);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Mux connection {ConnectionId}: protocol error, closing: {Detail}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string detail);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Mux connection {ConnectionId}: no pong within {Timeout}, closing")]
    public static partial void PingTimeout(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Mux connection {ConnectionId}: GoAway received ({Reason}, last stream {LastStreamId}): {Detail}")]
    public static partial void GoAwayReceived(ILogger logger, string connectionId, GoAwayReason reason, uint lastStreamId, string detail);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Mux connection {ConnectionId}: GoAway sent ({Reason}, last stream {LastStreamId}): {Detail}")]
    public static partial void GoAwaySent(ILogger logger, string connectionId, GoAwayReason reason, uint lastStreamId, string detail);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Mux connection {ConnectionId} closed ({Reason}: {Detail}); {StreamCount} streams ended")]
    public static partial void Closed(ILogger logger, string connectionId, MuxConnectionLossReason reason, string detail, int streamCount);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Mux connection {ConnectionId}: stream {StreamId} opened for couple {CoupleId}")]
    public static partial void StreamOpened(ILogger logger, string connectionId, uint streamId, string coupleId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Mux connection {ConnectionId}: stream {StreamId} refused ({Reason}): {Detail}")]
    public static partial void StreamRefused(ILogger logger, string connectionId, uint streamId, ResetReason reason, string? detail);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Mux connection {ConnectionId}: stream {StreamId} reset by peer ({Reason}): {Detail}")]
    public static partial void StreamResetByPeer(ILogger logger, string connectionId, uint streamId, ResetReason reason, string detail);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Mux connection {ConnectionId}: stream {StreamId} reset ({Reason}): {Detail}")]
    public static partial void StreamResetLocally(ILogger logger, string connectionId, uint streamId, ResetReason reason, string? detail);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Mux connection {ConnectionId}: the admission callback failed for stream {StreamId}")]
    public static partial void AdmissionFailed(ILogger logger, Exception exception, string connectionId, uint streamId);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "Mux connection {ConnectionId}: I/O error, closing")]
    public static partial void IoError(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Mux connect to {EndPoint} failed: {Status}: {Detail}")]
    public static partial void ConnectFailed(ILogger logger, string endPoint, MuxConnectStatus status, string detail);
}
