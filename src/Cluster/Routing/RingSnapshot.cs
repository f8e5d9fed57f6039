using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Chat.Cluster.Routing;

/// <summary>
/// Immutable, versioned view of the ring, swapped by reference: readers copy the reference once and
/// may then call it from any thread. Built once; lookups are pure.
/// </summary>
/// <remarks>
/// Ownership depends only on the members' (ShardId, Weight), never on Host, MuxPort or Epoch, so two
/// processes with the same members agree on every owner (the derivation is in <see cref="ConsistentHashRing"/>).
/// </remarks>
public sealed class RingSnapshot
{
    private readonly ConsistentHashRing _ring;

    /// <summary>Validates the members and builds the ring.</summary>
    /// <param name="epoch">ZooKeeper cversion of the ring node, or -1 for "no ring yet".</param>
    /// <param name="members">Shards in any order; at most one per ShardId.</param>
    /// <exception cref="ArgumentException">A member is invalid (id, weight, duplicate id, ...); the message says which.</exception>
    public RingSnapshot(long epoch, IEnumerable<RingMember> members)
        : this(epoch, SortAndValidate(epoch, members))
    {
    }

    /// <summary>No members: epoch -1, <see cref="OwnerOf(string)"/> returns null.</summary>
    public static RingSnapshot Empty { get; } = new(-1, []);

    /// <summary>ZooKeeper cversion of /chat/ring when the members were read; -1 for <see cref="Empty"/>.</summary>
    public long Epoch { get; }

    /// <summary>The members, sorted by ShardId (ordinal).</summary>
    public ImmutableArray<RingMember> Members { get; }

    /// <summary>
    /// Builds a snapshot from untrusted data (e.g. ZooKeeper nodes) without throwing: false and one
    /// clear line in <paramref name="error"/> when the members are invalid.
    /// </summary>
    public static bool TryCreate(
        long epoch,
        IEnumerable<RingMember> members,
        [NotNullWhen(true)] out RingSnapshot? snapshot,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sorted = Sort(members);
        error = RingValidation.Check(epoch, sorted);
        snapshot = error is null ? new RingSnapshot(epoch, sorted) : null;
        return snapshot is not null;
    }

    /// <summary>The shard that owns <paramref name="coupleId"/>; null only when there are no members.</summary>
    public RingMember? OwnerOf(string coupleId)
    {
        ArgumentNullException.ThrowIfNull(coupleId);
        return OwnerOf(coupleId.AsSpan());
    }

    /// <summary>The shard that owns <paramref name="coupleId"/>; null only when there are no members. Does not allocate.</summary>
    public RingMember? OwnerOf(ReadOnlySpan<char> coupleId)
    {
        if (Members.IsEmpty)
        {
            return null;
        }

        return Members[_ring.OwnerIndexOf(ConsistentHashRing.KeyHash(coupleId))];
    }

    /// <summary>The member with this ShardId (ordinal), or null.</summary>
    public RingMember? Find(string shardId)
    {
        ArgumentNullException.ThrowIfNull(shardId);
        int low = 0, high = Members.Length - 1;
        while (low <= high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            var order = string.CompareOrdinal(Members[mid].ShardId, shardId);
            if (order == 0)
            {
                return Members[mid];
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return null;
    }

    /// <summary>
    /// ShardId -> fraction of the 2^64 hash circle the shard owns (sums to 1 unless empty); the
    /// expected share of couples. Computed on each call (O(points)): for inspection, not the hot path.
    /// </summary>
    public IReadOnlyDictionary<string, double> HashSpaceShares()
    {
        var shares = _ring.Shares();
        var result = new Dictionary<string, double>(Members.Length, StringComparer.Ordinal);
        for (var i = 0; i < shares.Length; i++)
        {
            result[Members[i].ShardId] = shares[i];
        }

        return result;
    }

    private RingSnapshot(long epoch, RingMember[] validatedSorted)
    {
        Epoch = epoch;
        Members = ImmutableArray.Create(validatedSorted);
        _ring = new ConsistentHashRing(Members);
    }

    private static RingMember[] SortAndValidate(long epoch, IEnumerable<RingMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sorted = Sort(members);
        var error = RingValidation.Check(epoch, sorted);
        return error is null ? sorted : throw new ArgumentException(error, nameof(members));
    }

    // Nulls first (a caller may pass them despite the annotation), then ordinal ShardId: validation
    // reports nulls and duplicates (adjacent after sorting).
    private static RingMember[] Sort(IEnumerable<RingMember> members)
    {
        var array = members.ToArray();
        Array.Sort(array, static (a, b) =>
            a is null ? (b is null ? 0 : -1)
            : b is null ? 1
            : string.CompareOrdinal(a.ShardId, b.ShardId));
        return array;
    }
}
