using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Numerics;
using System.Text;

namespace Chat.Cluster.Routing;

/// <summary>
/// Consistent hashing of couple ids onto shards with virtual nodes: a sorted array of 64-bit points,
/// each owned by one member; a couple belongs to the first point at or after its hash, wrapping
/// around the end of the circle. Built once per <see cref="RingSnapshot"/>, then only read.
/// </summary>
/// <remarks>
/// <para>
/// The two hash derivations below are a wire contract between processes and across releases:
/// gateways and shards must compute the same owner, and changing either moves nearly every couple
/// in a live cluster. They are pinned by golden values in ConsistentHashRingGoldenTests; never
/// change them without a migration plan.
/// </para>
/// <list type="bullet">
/// <item>Couple id: <c>XxHash64(UTF-8 bytes of the id, seed 0)</c> (invalid UTF-16 becomes U+FFFD, as
/// <see cref="Encoding.UTF8"/> does).</item>
/// <item>Point i (0-based) of shard s: <c>XxHash64(UTF-8 bytes of s + "#" + i in invariant decimal, seed 0)</c>,
/// for i in [0, Weight * <see cref="PointsPerWeightUnit"/>). Points depend only on (ShardId, i), so a
/// shard's points never depend on the other members (adding or removing a shard moves only that
/// shard's couples), and raising a weight keeps the old points and adds new ones.</item>
/// <item>Two points with the same hash: the member with the smaller ShardId (ordinal) comes first and
/// so wins, the same in every process.</item>
/// </list>
/// </remarks>
internal sealed class ConsistentHashRing
{
    /// <summary>
    /// Virtual points per unit of weight: a normal shard (weight 100) gets 2,000 points. A shard's
    /// share then varies by about 1/sqrt(2000) = 2.2% around its ideal, so for 10 equal shards the
    /// 1.10 max/mean target sits 4.5 standard deviations out, whatever the shard ids (10 points per
    /// unit gave 3.2%, 1.074 measured for shard-00..09 and about a 1% chance per cluster of missing
    /// 1.10). Costs per point: 12 bytes (+ at most 4 of bucket index) and ~0.1 us of build, mostly
    /// the sort (benchmarks/Routing: ~20 ms for 100 normal shards).
    /// A constant, not an option: two processes with different values would disagree on owners.
    /// </summary>
    internal const int PointsPerWeightUnit = 20;

    // Couple ids up to this many characters are hashed from a stack buffer (at most 3 UTF-8 bytes per
    // char, +3 as Encoding.GetMaxByteCount reserves); longer ones rent a buffer.
    private const int StackKeyChars = 170;
    private const int StackKeyBytes = (StackKeyChars + 1) * 3;

    // ShardId (<= 64 ASCII bytes) + '#' + a point index (6 digits at MaxWeight; room for any int).
    private const int PointKeyBytes = RingMember.MaxShardIdLength + 1 + 11;

    // Upper bound on the bucket index size: 2^20 buckets are 4 MB, reached only past ~1,000,000 points.
    private const int MaxBucketBits = 20;

    private readonly ulong[] _points;
    private readonly int[] _owners;
    private readonly int _memberCount;

    // Bucket index over the sorted points: bucket b covers hashes whose top bits equal b, and
    // _bucketStarts[b] is the first point at or above the bucket's start. A lookup reads its bucket's
    // bounds and binary-searches only between them (1-2 points on average) instead of the whole
    // array: at 100 shards, ~3 cache misses instead of ~18 dependent steps (benchmarks/Routing).
    private readonly int[] _bucketStarts;
    private readonly int _bucketShift;

    /// <param name="members">Validated members sorted by ShardId (ordinal); owners are indexes into this list.</param>
    internal ConsistentHashRing(IReadOnlyList<RingMember> members)
    {
        _memberCount = members.Count;
        var total = 0;
        foreach (var member in members)
        {
            total += PointCount(member.Weight);
        }

        var points = new ulong[total];
        var owners = new int[total];
        var next = 0;
        Span<byte> key = stackalloc byte[PointKeyBytes];
        for (var m = 0; m < members.Count; m++)
        {
            // Same bytes as PointHash(shardId, i), with the "<shardId>#" prefix encoded once per shard.
            var prefix = Encoding.UTF8.GetBytes(members[m].ShardId, key);
            key[prefix++] = (byte)'#';
            var count = PointCount(members[m].Weight);
            for (var i = 0; i < count; i++)
            {
                i.TryFormat(key[prefix..], out var digits, default, CultureInfo.InvariantCulture);
                points[next] = XxHash64.HashToUInt64(key[..(prefix + digits)]);
                owners[next] = m;
                next++;
            }
        }

        Array.Sort(points, owners);
        OrderTies(points, owners);
        _points = points;
        _owners = owners;

        var bucketBits = Math.Clamp(BitOperations.Log2((uint)Math.Max(total, 1)), 1, MaxBucketBits);
        _bucketShift = 64 - bucketBits;
        _bucketStarts = BucketStarts(points, bucketBits);
    }

    /// <summary>Number of points on the ring (for diagnostics and tests).</summary>
    internal int PointTotal => _points.Length;

    internal static int PointCount(int weight) => weight * PointsPerWeightUnit;

    /// <summary>Point <paramref name="index"/> of shard <paramref name="shardId"/> (see the remarks: a contract).</summary>
    internal static ulong PointHash(string shardId, int index)
    {
        Span<byte> key = stackalloc byte[PointKeyBytes];
        var length = Encoding.UTF8.GetBytes(shardId, key);
        key[length++] = (byte)'#';
        if (!index.TryFormat(key[length..], out var digits, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Point key buffer too small: the shard id was not validated.");
        }

        return XxHash64.HashToUInt64(key[..(length + digits)]);
    }

    /// <summary>Hash of a couple id (see the remarks: a contract). Allocates nothing for ids up to 170 characters.</summary>
    internal static ulong KeyHash(ReadOnlySpan<char> coupleId)
    {
        if (coupleId.Length <= StackKeyChars)
        {
            Span<byte> buffer = stackalloc byte[StackKeyBytes];
            var length = Encoding.UTF8.GetBytes(coupleId, buffer);
            return XxHash64.HashToUInt64(buffer[..length]);
        }

        // Couple ids come from a verified token inside a bounded frame, so this stays bounded too.
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(coupleId.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(coupleId, rented);
            return XxHash64.HashToUInt64(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Index of the member owning <paramref name="hash"/>, or -1 when the ring has no points.</summary>
    internal int OwnerIndexOf(ulong hash)
    {
        var points = _points;
        if (points.Length == 0)
        {
            return -1;
        }

        // Lower bound: the first point >= hash. Array.BinarySearch would return any of several equal
        // points, and ties must resolve the same way everywhere. Every point before the bucket's start
        // is below hash and every point from the next bucket's start on is above it, so the lower
        // bound lies in [low, high]; high may be the array's end, which wraps to point 0.
        var bucket = (int)(hash >> _bucketShift);
        int low = _bucketStarts[bucket], high = _bucketStarts[bucket + 1];
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (points[mid] < hash)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return _owners[low == points.Length ? 0 : low];
    }

    /// <summary>
    /// Fraction of the 2^64 hash circle owned by each member (by index). A point owns the arc from
    /// the previous point (exclusive) to itself (inclusive); the first point also owns the wrap-around.
    /// </summary>
    internal double[] Shares()
    {
        var shares = new double[_memberCount];
        var points = _points;
        if (points.Length == 0)
        {
            return shares;
        }

        if (points[0] == points[^1])
        {
            // Every point at one position: its first owner takes the whole circle.
            shares[_owners[0]] = 1.0;
            return shares;
        }

        const double Circle = 18446744073709551616.0; // 2^64
        shares[_owners[0]] += unchecked(points[0] - points[^1]) / Circle;
        for (var i = 1; i < points.Length; i++)
        {
            shares[_owners[i]] += (points[i] - points[i - 1]) / Circle;
        }

        return shares;
    }

    // starts[b] = index of the first point with (point >> shift) >= b; starts[2^bits] = points.Length.
    private static int[] BucketStarts(ulong[] points, int bucketBits)
    {
        var shift = 64 - bucketBits;
        var starts = new int[(1 << bucketBits) + 1];
        var p = 0;
        for (var b = 0; b < starts.Length - 1; b++)
        {
            while (p < points.Length && (int)(points[p] >> shift) < b)
            {
                p++;
            }

            starts[b] = p;
        }

        starts[^1] = points.Length;
        return starts;
    }

    // Array.Sort is not stable: within a run of equal points, order owners by index (= by ShardId).
    private static void OrderTies(ulong[] points, int[] owners)
    {
        var start = 0;
        for (var i = 1; i <= points.Length; i++)
        {
            if (i == points.Length || points[i] != points[start])
            {
                if (i - start > 1)
                {
                    Array.Sort(owners, start, i - start);
                }

                start = i;
            }
        }
    }
}
