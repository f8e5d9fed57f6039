using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Chat.ChatService.Storage;

/// <summary>
/// The production <see cref="IChatStore"/>: one StackExchange.Redis multiplexer (single Redis or Redis
/// Cluster), one Lua script per send, key layout in <see cref="RedisKeys"/>.
/// </summary>
/// <remarks>
/// <code>
/// shard                         Redis (node owning slot of {c:X})
///  AppendAsync ── EVALSHA append ──> GET dedup ─ hit ──> {2, seq, time}   (nothing written)
///                                     └ miss: XADD msgs &lt;seq&gt;-0, INCR seq, SET dedup PX ttl
///              &lt;── {1, seq, time} ── (AOF write; with appendfsync always, fsync before the reply)
///  Ack{seq} only after this reply.
/// </code>
/// Awaiting a call continues on the thread pool (StackExchange.Redis completes its tasks
/// asynchronously, so its reader thread is never stolen), not on a DotNetty event loop: a caller that
/// touches a couple's state afterwards hops back to that couple's event loop itself.
/// </remarks>
internal sealed partial class RedisChatStore : IChatStore, IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly RedisStoreOptions _options;
    private readonly ILogger _logger;
    private readonly StorageMetrics _metrics;
    private readonly RedisValue _dedupTtlMs;
    private readonly RedisValue _retention;

    private RedisChatStore(ConnectionMultiplexer redis, RedisStoreOptions options, ILogger logger, StorageMetrics metrics)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _dedupTtlMs = (long)options.DedupTtl.TotalMilliseconds;
        _retention = options.RetentionCount;
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>
    /// Connects to Redis. Returns even when Redis is down (the connection keeps retrying in the
    /// background and calls return Unavailable meanwhile). Throws only for invalid options, which the
    /// host should have rejected with <see cref="RedisStoreOptions.Validate"/> already.
    /// </summary>
    public static async Task<RedisChatStore> ConnectAsync(
        RedisStoreOptions options,
        ILoggerFactory loggerFactory,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default)
    {
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        var logger = loggerFactory.CreateLogger<RedisChatStore>();
        var config = options.ToRedisConfiguration();
        StorageLog.Connecting(logger, config.EndPoints);
        var redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken);
        return new RedisChatStore(redis, options, logger, new StorageMetrics(meterFactory));
    }

    public async ValueTask<AppendResult> AppendAsync(
        string coupleId,
        string clientMsgId,
        string senderUserId,
        string? senderDeviceId,
        int kind,
        ReadOnlyMemory<byte> body,
        long serverTimeMs,
        CancellationToken cancellationToken = default)
    {
        if (!RedisKeys.IsValidId(coupleId)
            || !RedisKeys.IsValidId(clientMsgId)
            || !RedisKeys.IsValidId(senderUserId)
            || (senderDeviceId is not null && !RedisKeys.IsValidId(senderDeviceId))
            || body.Length > _options.MaxBodyBytes
            || serverTimeMs < 0
            || !StoredMessageCodec.TryEncode(clientMsgId, senderUserId, senderDeviceId, kind, body.Span, serverTimeMs, out var record))
        {
            return AppendResult.Of(AppendStatus.Invalid);
        }

        RedisKey[] keys = [RedisKeys.Seq(coupleId), RedisKeys.Messages(coupleId), RedisKeys.Dedup(coupleId, senderUserId, clientMsgId)];
        RedisValue[] args = [record, serverTimeMs, _dedupTtlMs, _retention];
        var (status, reply) = await CallAsync(Operation.Append, coupleId, () => EvaluateAsync(StoreScripts.Append, keys, args), cancellationToken);
        if (status != StoreStatus.Ok)
        {
            return AppendResult.Of(status == StoreStatus.Unavailable ? AppendStatus.Unavailable : AppendStatus.Failed);
        }

        var code = reply!.Length == 3 ? (long)reply[0] : 0;
        if (code is not (1 or 2))
        {
            StorageLog.UnexpectedReply(_logger, Operation.Append, coupleId, reply.ToString());
            return AppendResult.Of(AppendStatus.Failed);
        }

        return new AppendResult(code == 1 ? AppendStatus.Appended : AppendStatus.Duplicate, (long)reply[1], (long)reply[2]);
    }

    public async ValueTask<MessagePage> ReadAsync(string coupleId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (!RedisKeys.IsValidId(coupleId) || afterSeq is < 0 or long.MaxValue || limit < 1)
        {
            return MessagePage.Of(StoreStatus.Invalid);
        }

        RedisKey[] keys = [RedisKeys.Seq(coupleId), RedisKeys.Messages(coupleId)];
        RedisValue[] args = [afterSeq + 1, Math.Min(limit, _options.MaxPageSize), _options.MaxPageBytes];
        var (status, reply) = await CallAsync(Operation.Read, coupleId, () => EvaluateAsync(StoreScripts.Read, keys, args), cancellationToken);
        if (status != StoreStatus.Ok)
        {
            return MessagePage.Of(status);
        }

        return ParsePage(coupleId, reply!);
    }

    public async ValueTask<SeqResult> LatestSeqAsync(string coupleId, CancellationToken cancellationToken = default)
    {
        if (!RedisKeys.IsValidId(coupleId))
        {
            return SeqResult.Of(StoreStatus.Invalid);
        }

        var key = RedisKeys.Seq(coupleId);
        var (status, value) = await CallAsync(Operation.LatestSeq, coupleId, () => _db.StringGetAsync(key), cancellationToken);
        if (status != StoreStatus.Ok)
        {
            return SeqResult.Of(status);
        }

        if (value.IsNull)
        {
            return new SeqResult(StoreStatus.Ok, 0);
        }

        if (!long.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            StorageLog.UnexpectedReply(_logger, Operation.LatestSeq, coupleId, value.ToString());
            return SeqResult.Of(StoreStatus.Failed);
        }

        return new SeqResult(StoreStatus.Ok, seq);
    }

    public async ValueTask<SeqResult> SetReadMarkAsync(string coupleId, string userId, long seq, CancellationToken cancellationToken = default)
    {
        if (!RedisKeys.IsValidId(coupleId) || !RedisKeys.IsValidId(userId) || seq < 0)
        {
            return SeqResult.Of(StoreStatus.Invalid);
        }

        RedisKey[] keys = [RedisKeys.ReadMarks(coupleId), RedisKeys.Seq(coupleId)];
        RedisValue[] args = [userId, seq];
        var (status, reply) = await CallAsync(Operation.SetReadMark, coupleId, () => EvaluateAsync(StoreScripts.SetReadMark, keys, args), cancellationToken);
        if (status != StoreStatus.Ok)
        {
            return SeqResult.Of(status);
        }

        if (reply!.Resp2Type != ResultType.Integer)
        {
            StorageLog.UnexpectedReply(_logger, Operation.SetReadMark, coupleId, reply.ToString());
            return SeqResult.Of(StoreStatus.Failed);
        }

        return new SeqResult(StoreStatus.Ok, (long)reply);
    }

    public async ValueTask<ReadMarksResult> GetReadMarksAsync(string coupleId, CancellationToken cancellationToken = default)
    {
        if (!RedisKeys.IsValidId(coupleId))
        {
            return ReadMarksResult.Of(StoreStatus.Invalid);
        }

        var key = RedisKeys.ReadMarks(coupleId);
        var (status, entries) = await CallAsync(Operation.GetReadMarks, coupleId, () => _db.HashGetAllAsync(key), cancellationToken);
        if (status != StoreStatus.Ok)
        {
            return ReadMarksResult.Of(status);
        }

        var marks = new Dictionary<string, long>(entries!.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!long.TryParse((string?)entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                StorageLog.UnexpectedReply(_logger, Operation.GetReadMarks, coupleId, entry.ToString());
                return ReadMarksResult.Of(StoreStatus.Failed);
            }

            marks[entry.Name.ToString()] = seq;
        }

        return new ReadMarksResult(StoreStatus.Ok, marks);
    }

    public async ValueTask DisposeAsync()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _redis.DisposeAsync();
        _metrics.Dispose();
    }

    private MessagePage ParsePage(string coupleId, RedisResult reply)
    {
        // {latestSeq, more, seq1, record1, seq2, record2, ...}
        if (reply.Resp2Type != ResultType.Array || reply.Length < 2 || reply.Length % 2 != 0)
        {
            StorageLog.UnexpectedReply(_logger, Operation.Read, coupleId, reply.ToString());
            return MessagePage.Of(StoreStatus.Failed);
        }

        var latest = (long)reply[0];
        var more = (long)reply[1] == 1;
        var messages = new StoredMessage[(reply.Length - 2) / 2];
        for (var i = 0; i < messages.Length; i++)
        {
            var seq = (long)reply[2 + (2 * i)];
            var record = (byte[]?)reply[3 + (2 * i)] ?? [];
            var error = StoredMessageCodec.TryDecode(seq, record, out var message);
            if (error != RecordError.None)
            {
                // Fail the read rather than skip: a silently missing message would break the promise
                // that every device gets every acknowledged message. The log names the seq to repair.
                StorageLog.CorruptRecord(_logger, coupleId, seq, error);
                return MessagePage.Of(StoreStatus.Failed);
            }

            messages[i] = message!;
        }

        return new MessagePage(StoreStatus.Ok, messages, more, latest);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        StorageLog.ConnectionFailed(_logger, e.EndPoint, e.FailureType, e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) =>
        StorageLog.ConnectionRestored(_logger, e.EndPoint);
}
