using System.Net;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Admission;

/// <summary>Log events of admission: ids 4100-4199. Client-caused events are Debug.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {Address} refused: {Decision}")]
    public static partial void ConnectionRefused(ILogger logger, IChannelId connectionId, IPAddress? address, AdmissionDecision decision);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Connection {ConnectionId}: {Kind} handshake refused, handshake budget spent")]
    public static partial void HandshakeRefused(ILogger logger, IChannelId connectionId, HandshakeKind kind);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed after {Idle} without traffic")]
    public static partial void IdleClosed(ILogger logger, IChannelId connectionId, TimeSpan idle);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Admission stopped: new client connections are refused ({Open} open)")]
    public static partial void StoppedAdmitting(ILogger logger, int open);
}
