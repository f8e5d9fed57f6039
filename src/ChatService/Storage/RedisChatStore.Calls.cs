using System.Diagnostics;
using StackExchange.Redis;

namespace Chat.ChatService.Storage;

/// <summary>How the store talks to Redis: script calls with NOSCRIPT recovery, failures turned into statuses, latency metrics.</summary>
internal sealed partial class RedisChatStore
{
    /// <summary>Runs one Redis call; an expected failure becomes a status, anything else (a bug) propagates.</summary>
    private async ValueTask<(StoreStatus Status, T? Value)> CallAsync<T>(
        string operation, string coupleId, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var value = await call().WaitAsync(cancellationToken);
            _metrics.RecordCommand(operation, "ok", start);
            return (StoreStatus.Ok, value);
        }
        catch (Exception ex) when (Classify(ex) is var status and not StoreStatus.Ok)
        {
            _metrics.RecordCommand(operation, status == StoreStatus.Unavailable ? "unavailable" : "failed", start);
            if (status == StoreStatus.Unavailable)
            {
                StorageLog.Unavailable(_logger, operation, coupleId, ex.Message);
            }
            else
            {
                StorageLog.UnexpectedError(_logger, operation, coupleId, ex);
            }

            return (status, default);
        }
    }

    /// <summary>EVALSHA; after NOSCRIPT (restarted node, new cluster node, SCRIPT FLUSH) EVAL, which caches it again.</summary>
    private async Task<RedisResult> EvaluateAsync(StoreScript script, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await _db.ScriptEvaluateAsync(script.Sha1, keys, args);
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.NoScript)
        {
            // EVALSHA of an unknown script runs nothing, so sending the text now cannot apply a send twice.
            StorageLog.ScriptReloaded(_logger, script.Name);
            return await _db.ScriptEvaluateAsync(script.Text, keys, args);
        }
    }

    /// <summary>Ok means "not an expected Redis failure": the exception is a bug and must propagate.</summary>
    private static StoreStatus Classify(Exception ex) => ex switch
    {
        RedisTimeoutException or RedisConnectionException => StoreStatus.Unavailable,
        RedisServerException server when IsTransient(server.Kind) => StoreStatus.Unavailable,
        RedisServerException => StoreStatus.Failed,
        _ => StoreStatus.Ok,
    };

    /// <summary>Server refusals that go away by themselves or by operator action, not by changing the request.</summary>
    private static bool IsTransient(RedisErrorKind kind) => kind is RedisErrorKind.ConnectionFault
        or RedisErrorKind.Timeout
        or RedisErrorKind.Loading
        or RedisErrorKind.ClusterDown
        or RedisErrorKind.MasterDown
        or RedisErrorKind.TryAgain
        or RedisErrorKind.NoReplicas
        or RedisErrorKind.Misconfigured
        or RedisErrorKind.OutOfMemory
        or RedisErrorKind.Busy
        or RedisErrorKind.MaxClients
        or RedisErrorKind.ReadOnly
        or RedisErrorKind.Moved
        or RedisErrorKind.Ask;

    private static class Operation
    {
        public const string Append = "append";
        public const string Read = "read";
        public const string LatestSeq = "latest-seq";
        public const string SetReadMark = "set-read-mark";
        public const string GetReadMarks = "get-read-marks";
    }
}
