using System.Net;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Chat.ChatService.Storage;

/// <summary>Log messages of the storage area; event ids 3000-3099, never reused.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Connecting to Redis at {Endpoints}")]
    public static partial void Connecting(ILogger logger, EndPointCollection endpoints);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} failed ({FailureType}); sends get Unavailable until it is back")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? endpoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    public static partial void ConnectionRestored(ILogger logger, EndPoint? endpoint);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Redis unavailable for {Operation} of couple {CoupleId}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string operation, string coupleId, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Redis did not know script {Script} (restart or SCRIPT FLUSH); sent it again with EVAL")]
    public static partial void ScriptReloaded(ILogger logger, string script);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Redis refused {Operation} of couple {CoupleId} unexpectedly")]
    public static partial void UnexpectedError(ILogger logger, string operation, string coupleId, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Stored message {Seq} of couple {CoupleId} cannot be decoded: {Error}")]
    public static partial void CorruptRecord(ILogger logger, string coupleId, long seq, RecordError error);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Redis answered {Operation} of couple {CoupleId} with an unexpected shape: {Shape}")]
    public static partial void UnexpectedReply(ILogger logger, string operation, string coupleId, string shape);
}
