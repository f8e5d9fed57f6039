using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>Log events of the TLS edge, ids 4000-4099. Failures a client can cause are Debug.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "TLS handshake failed on {ConnectionId} from {RemoteAddress}: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, IChannelId? connectionId, EndPoint? remoteAddress, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "TLS handshake timed out after {Timeout} on {ConnectionId} from {RemoteAddress}")]
    public static partial void HandshakeTimedOut(ILogger logger, IChannelId? connectionId, EndPoint? remoteAddress, TimeSpan timeout);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Trace, Message = "TLS handshake done on {ConnectionId}: {Protocol} {CipherSuite}, resumed {Resumed}")]
    public static partial void HandshakeSucceeded(ILogger logger, IChannelId? connectionId, SslProtocols protocol, TlsCipherSuite cipherSuite, bool? resumed);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "close_notify not written within {Timeout} on {ConnectionId}; closing anyway")]
    public static partial void CloseNotifyTimedOut(ILogger logger, IChannelId? connectionId, TimeSpan timeout);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Closing {ConnectionId}: {Bytes} bytes of TLS input queued without being read")]
    public static partial void InputOverflow(ILogger logger, IChannelId? connectionId, long bytes);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "TLS read failed on {ConnectionId}: {Reason}")]
    public static partial void ReadFailed(ILogger logger, IChannelId? connectionId, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Unexpected error in the TLS handler of {ConnectionId}; closing it")]
    public static partial void UnexpectedError(ILogger logger, IChannelId? connectionId, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "TLS write failed on {ConnectionId}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, IChannelId? connectionId, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "TLS certificate generation {Generation} in use: {Subject}, {KeyAlgorithm}, SHA-256 {Thumbprint}, valid until {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, long generation, string subject, string keyAlgorithm, string thumbprint, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "TLS certificate reload failed, keeping generation {Generation}: {Error}")]
    public static partial void CertificateReloadFailed(ILogger logger, long generation, string error);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Watching the TLS certificate files failed ({Error}); polling every {PollInterval} only")]
    public static partial void CertificateWatchFailed(ILogger logger, string error, TimeSpan pollInterval);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "TLS certificate {Thumbprint} expires at {NotAfter:u}")]
    public static partial void CertificateExpiresSoon(ILogger logger, string thumbprint, DateTimeOffset notAfter);
}
