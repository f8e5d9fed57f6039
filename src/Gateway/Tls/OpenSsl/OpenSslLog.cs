using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>Log events of the OpenSSL engine, ids 4050-4069 (inside the TLS range 4000-4099 of <see cref="TlsLog"/>).</summary>
internal static partial class OpenSslLog
{
    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "TLS engine OpenSsl ({Version}); {Certificates} certificate(s), tickets {Tickets}")]
    public static partial void EngineStarted(ILogger logger, string version, int certificates, string tickets);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Information, Message = "TLS ticket keys loaded from {Path}: {Count} key(s), the first encrypts")]
    public static partial void TicketKeysLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Warning, Message = "TLS ticket key file reload failed, keeping the keys in use: {Error}")]
    public static partial void TicketKeysReloadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4053, Level = LogLevel.Debug, Message = "Closing {ConnectionId}: {Bytes} bytes of TLS output queued for a peer that does not read")]
    public static partial void OutputOverflow(ILogger logger, DotNetty.Transport.Channels.IChannelId? connectionId, long bytes);

    [LoggerMessage(EventId = 4054, Level = LogLevel.Error, Message = "Cannot create the TLS state of {ConnectionId}: {Error}")]
    public static partial void ConnectionSetupFailed(ILogger logger, DotNetty.Transport.Channels.IChannelId? connectionId, string error);
}
