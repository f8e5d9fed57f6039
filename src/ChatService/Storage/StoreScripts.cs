namespace Chat.ChatService.Storage;

/// <summary>The Lua scripts of the store; each runs atomically on the node that owns the couple's slot.</summary>
/// <remarks>
/// Redis does not roll a script back when a command inside it fails, so every script issues the
/// command that may refuse (XADD) before any other write. Numbers cross Lua as doubles: seqs and
/// millisecond times stay far below 2^53, and they are formatted with %d, never with Lua's %.14g.
/// </remarks>
internal static class StoreScripts
{
    /// <summary>
    /// KEYS: seq, msgs, dedup. ARGV: record, serverTimeMs, dedup TTL in ms, retention count (0 = none).
    /// Returns {1, seq, serverTimeMs} when appended, {2, seq, serverTimeMs} of the original when the
    /// dedup key exists.
    /// </summary>
    public static readonly StoreScript Append = new("append", """
        local previous = redis.call('GET', KEYS[3])
        if previous then
          local sep = string.find(previous, ':', 1, true)
          return {2, tonumber(string.sub(previous, 1, sep - 1)), tonumber(string.sub(previous, sep + 1))}
        end
        local seq = (tonumber(redis.call('GET', KEYS[1])) or 0) + 1
        local id = string.format('%d-0', seq)
        if ARGV[4] == '0' then
          redis.call('XADD', KEYS[2], id, 'm', ARGV[1])
        else
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], id, 'm', ARGV[1])
        end
        redis.call('INCR', KEYS[1])
        redis.call('SET', KEYS[3], string.format('%d:%s', seq, ARGV[2]), 'PX', ARGV[3])
        return {1, seq, tonumber(ARGV[2])}
        """);

    /// <summary>
    /// KEYS: seq, msgs. ARGV: first seq wanted, page size, page byte budget.
    /// Returns {latestSeq, more (0/1), seq1, record1, seq2, record2, ...}. Stops early, with more = 1,
    /// once the records exceed the byte budget, but always returns at least one record if there is one.
    /// </summary>
    public static readonly StoreScript Read = new("read", """
        local latest = tonumber(redis.call('GET', KEYS[1])) or 0
        local limit = tonumber(ARGV[2])
        local budget = tonumber(ARGV[3])
        local entries = redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', '+', 'COUNT', limit + 1)
        local out = {latest, 0}
        local bytes = 0
        local taken = 0
        for i = 1, #entries do
          local entry = entries[i]
          local record = entry[2][2]
          if taken == limit or (taken > 0 and bytes + #record > budget) then
            out[2] = 1
            break
          end
          local id = entry[1]
          out[#out + 1] = tonumber(string.sub(id, 1, string.find(id, '-', 1, true) - 1))
          out[#out + 1] = record
          bytes = bytes + #record
          taken = taken + 1
        end
        return out
        """);

    /// <summary>
    /// KEYS: read, seq. ARGV: userId, seq. Raises the user's read mark to seq, clamped to the latest
    /// seq (a mark beyond it would hide messages not yet sent); never lowers it. Returns the stored mark.
    /// </summary>
    public static readonly StoreScript SetReadMark = new("set-read-mark", """
        local wanted = tonumber(ARGV[2])
        local latest = tonumber(redis.call('GET', KEYS[2])) or 0
        if wanted > latest then
          wanted = latest
        end
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
        if wanted > current then
          redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', wanted))
          return wanted
        end
        return current
        """);
}
