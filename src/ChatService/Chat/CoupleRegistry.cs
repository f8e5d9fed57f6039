using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using Chat.Cluster.Routing;
using DotNetty.Common.Concurrency;

namespace Chat.ChatService.Chat;

/// <summary>
/// The couples with state on this shard, each pinned to one event loop by a stable hash of its id
/// (XxHash3 of the UTF-8 id, modulo the loop count), so a couple's state is always touched by the
/// same thread. A session removes itself when its last device left and no store call is pending;
/// an attach that races with that removal is told to retry and gets a fresh session.
/// </summary>
internal sealed class CoupleRegistry
{
    private readonly ConcurrentDictionary<string, CoupleSession> _sessions = new(StringComparer.Ordinal);
    private readonly IEventExecutor[] _loops;
    private readonly Func<string, CoupleSession> _create;
    private readonly Action<CoupleSession> _retire;

    public CoupleRegistry(IReadOnlyList<IEventExecutor> loops, ChatServices services)
    {
        if (loops.Count == 0)
        {
            throw new ArgumentException("at least one event loop is needed", nameof(loops));
        }

        _loops = [.. loops];
        _retire = session => _sessions.TryRemove(new KeyValuePair<string, CoupleSession>(session.CoupleId, session));
        _create = coupleId => new CoupleSession(coupleId, LoopOf(coupleId), services, _retire);
    }

    /// <summary>Couples with state in memory.</summary>
    public int Count => _sessions.Count;

    /// <summary>The session of <paramref name="coupleId"/>, created if needed.</summary>
    public CoupleSession GetOrCreate(string coupleId) => _sessions.GetOrAdd(coupleId, _create);

    /// <summary>Joins a device to its couple (retrying if the session retires meanwhile); the outcome goes to the request's observer.</summary>
    public void Attach(string coupleId, AttachRequest request)
    {
        var session = GetOrCreate(coupleId);
        session.Execute(() => session.Attach(request));
    }

    /// <summary>Tells every session about a new ring (each on its own loop); sessions of couples moved away drop their devices.</summary>
    public void EnforceOwnership(RingSnapshot ring)
    {
        foreach (var session in _sessions.Values)
        {
            session.Execute(() => session.EnforceOwnership(ring));
        }
    }

    /// <summary>The loop of <paramref name="coupleId"/>: the same for the process's whole life.</summary>
    public IEventExecutor LoopOf(string coupleId)
    {
        if (_loops.Length == 1)
        {
            return _loops[0];
        }

        var max = Encoding.UTF8.GetMaxByteCount(coupleId.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(coupleId, bytes);
        return _loops[(int)(XxHash3.HashToUInt64(bytes[..length]) % (ulong)_loops.Length)];
    }
}
