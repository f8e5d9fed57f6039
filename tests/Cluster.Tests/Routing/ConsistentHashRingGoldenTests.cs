using System.IO.Hashing;
using System.Text;
using Chat.Cluster.Routing;

namespace Chat.Tests.Cluster.Routing;

/// <summary>
/// Pins the hash derivations and a few owners. Gateways and shards of different releases must
/// agree on every owner, so any change that makes one of these fail moves nearly every couple of a
/// live cluster: do not "update the expected values" without a migration plan.
/// </summary>
public sealed class ConsistentHashRingGoldenTests
{
    private static readonly RingSnapshot TenEqual = new(1, RingMembers.Equal(10));

    private static readonly RingSnapshot Mixed = new(1,
    [
        new RingMember("chat-a", "10.0.0.1", 7000, 50),
        new RingMember("chat-b", "10.0.0.2", 7000, 100),
        new RingMember("chat-c", "10.0.0.3", 7000, 250),
    ]);

    [Fact]
    public void The_hash_library_is_xxhash64_with_seed_0()
    {
        // Reference vector of the xxHash64 specification: the empty input with seed 0.
        Assert.Equal(0xEF46DB3751D8E999UL, XxHash64.HashToUInt64([]));
    }

    [Theory]
    [InlineData("c1", 0x0B4E4C3CFDF0DBF9UL)]
    [InlineData("couple-\u00e9\u4e2d", 0xD70C5D1914850A21UL)]
    public void Couple_hash_is_xxhash64_of_the_utf8_bytes(string coupleId, ulong expected)
    {
        Assert.Equal(expected, ConsistentHashRing.KeyHash(coupleId));
        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(coupleId)), ConsistentHashRing.KeyHash(coupleId));
    }

    [Theory]
    [InlineData("shard-00", 0, 0xA731F1CAA5448EA2UL)]
    [InlineData("shard-07", 1999, 0xA720EEEBDC19001EUL)]
    public void Point_hash_is_xxhash64_of_shard_id_hash_sign_index(string shardId, int index, ulong expected)
    {
        Assert.Equal(expected, ConsistentHashRing.PointHash(shardId, index));
        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(shardId + "#" + index)), ConsistentHashRing.PointHash(shardId, index));
    }

    [Fact]
    public void A_normal_shard_has_two_thousand_points()
    {
        Assert.Equal(2_000, ConsistentHashRing.PointCount(RingMember.NormalWeight));
    }

    [Theory]
    [InlineData("c1", "shard-01", "chat-c")]
    [InlineData("c2", "shard-00", "chat-b")]
    [InlineData("c3", "shard-07", "chat-c")]
    [InlineData("c42", "shard-07", "chat-c")]
    [InlineData("c1000000", "shard-08", "chat-b")]
    [InlineData("7f3a9c2e1b4d5a60", "shard-08", "chat-c")]
    [InlineData("couple-\u00e9\u4e2d", "shard-04", "chat-c")]
    [InlineData("", "shard-05", "chat-a")]
    [InlineData("x", "shard-03", "chat-c")]
    [InlineData("c12345678901", "shard-01", "chat-c")]
    [InlineData("zz", "shard-03", "chat-b")]
    [InlineData("q9", "shard-08", "chat-b")]
    public void Known_couples_keep_their_owners(string coupleId, string onTenEqual, string onMixed)
    {
        Assert.Equal(onTenEqual, TenEqual.OwnerOf(coupleId)!.ShardId);
        Assert.Equal(onMixed, Mixed.OwnerOf(coupleId)!.ShardId);
    }

    [Fact]
    public void Known_hash_space_shares_stay_the_same()
    {
        var shares = Mixed.HashSpaceShares();

        Assert.Equal(0.12415871214548477, shares["chat-a"], 12);
        Assert.Equal(0.24962691026309486, shares["chat-b"], 12);
        Assert.Equal(0.62621437759142, shares["chat-c"], 12);
    }

    [Fact]
    public void Owners_match_a_naive_reading_of_the_specification()
    {
        // The specification, computed the slow way: every point of every member, and a couple goes
        // to the first point clockwise from its hash (ties to the smaller ShardId).
        var points = Mixed.Members
            .SelectMany(m => Enumerable.Range(0, m.Weight * 20).Select(i => (
                Hash: XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(m.ShardId + "#" + i)),
                m.ShardId)))
            .ToArray();
        var random = new Random(4242);

        for (var n = 0; n < 1_000; n++)
        {
            var coupleId = "c" + random.Next();
            var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(coupleId));
            var best = points[0];
            foreach (var point in points)
            {
                var distance = unchecked(point.Hash - hash);
                var bestDistance = unchecked(best.Hash - hash);
                if (distance < bestDistance
                    || (distance == bestDistance && string.CompareOrdinal(point.ShardId, best.ShardId) < 0))
                {
                    best = point;
                }
            }

            var expected = best.ShardId;
            Assert.Equal(expected, Mixed.OwnerOf(coupleId)!.ShardId);
        }
    }
}
