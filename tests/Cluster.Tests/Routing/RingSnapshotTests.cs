using System.IO.Hashing;
using System.Text;
using Chat.Cluster.Routing;

namespace Chat.Tests.Cluster.Routing;

public sealed class RingSnapshotTests
{
    [Fact]
    public void Empty_has_epoch_minus_one_and_no_owner()
    {
        var empty = RingSnapshot.Empty;

        Assert.Equal(-1, empty.Epoch);
        Assert.Empty(empty.Members);
        Assert.Null(empty.OwnerOf("c1"));
        Assert.Null(empty.OwnerOf("c1".AsSpan()));
        Assert.Null(empty.Find("shard-00"));
        Assert.Empty(empty.HashSpaceShares());
    }

    [Fact]
    public void A_snapshot_without_members_has_no_owner_at_any_epoch()
    {
        var ring = new RingSnapshot(7, []);

        Assert.Equal(7, ring.Epoch);
        Assert.Null(ring.OwnerOf("c1"));
    }

    [Fact]
    public void Members_are_sorted_by_shard_id_ordinal_whatever_the_input_order()
    {
        var ring = new RingSnapshot(3,
        [
            new RingMember("b", "h", 1, 100),
            new RingMember("a", "h", 1, 100),
            new RingMember("B", "h", 1, 100),
            new RingMember("a.1", "h", 1, 100),
        ]);

        Assert.Equal(["B", "a", "a.1", "b"], ring.Members.Select(m => m.ShardId));
    }

    [Fact]
    public void Find_returns_the_member_by_exact_shard_id()
    {
        var members = RingMembers.Equal(5);
        var ring = new RingSnapshot(1, members.Reverse());

        foreach (var member in members)
        {
            Assert.Same(member, ring.Find(member.ShardId));
        }

        Assert.Null(ring.Find("SHARD-00"));
        Assert.Null(ring.Find("shard-05"));
        Assert.Null(ring.Find(""));
    }

    [Fact]
    public void A_single_member_owns_every_couple_and_the_whole_circle()
    {
        var only = RingMembers.Shard(0, weight: 1);
        var ring = new RingSnapshot(1, [only]);

        Assert.All(new[] { "", "c1", "c2", "\ud800", new string('x', 5_000) }, id => Assert.Same(only, ring.OwnerOf(id)));
        Assert.Equal(1.0, ring.HashSpaceShares()[only.ShardId], 12);
    }

    [Fact]
    public void The_span_overload_agrees_with_the_string_overload()
    {
        var ring = new RingSnapshot(1, RingMembers.Equal(10));
        const string Token = "v1.k1.u123.c4567.1700000000.sig";

        // A gateway may take the couple id straight out of a parsed token without a string.
        Assert.Same(ring.OwnerOf("c4567"), ring.OwnerOf(Token.AsSpan(11, 5)));
    }

    [Theory]
    [InlineData(170)] // the longest id hashed from a stack buffer
    [InlineData(171)] // the smallest hashed through a rented buffer
    [InlineData(10_000)]
    public void Long_and_non_ascii_ids_hash_as_their_utf8_bytes(int length)
    {
        var id = string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (i % 3) switch { 0 => 'a', 1 => '\u00e9', _ => '\u4e2d' };
            }
        });

        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)), ConsistentHashRing.KeyHash(id));
    }

    [Theory]
    [InlineData("\ud800")]
    [InlineData("a\udc00b")]
    [InlineData("\ud83d\ude00")]
    public void Invalid_utf16_hashes_like_encoding_utf8_does(string id)
    {
        Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(id)), ConsistentHashRing.KeyHash(id));
    }

    [Fact]
    public void Lookups_do_not_allocate()
    {
        var ring = new RingSnapshot(1, RingMembers.Equal(10));
        var ids = Enumerable.Range(0, 1_000).Select(i => "couple-" + i).ToArray();
        _ = ring.OwnerOf(ids[0]); // first call JIT-compiles

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var id in ids)
        {
            _ = ring.OwnerOf(id);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Shares_sum_to_one_and_list_every_member()
    {
        var members = RingMembers.Equal(4);
        members[1] = members[1] with { Weight = RingMember.MinWeight };
        var ring = new RingSnapshot(1, members);

        var shares = ring.HashSpaceShares();

        Assert.Equal(members.Select(m => m.ShardId).Order(StringComparer.Ordinal), shares.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1.0, shares.Values.Sum(), 12);
        Assert.All(shares.Values, share => Assert.InRange(share, 0.0, 1.0));
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        var ring = new RingSnapshot(0,
        [
            new RingMember(new string('a', RingMember.MaxShardIdLength), "", 0, RingMember.MinWeight),
            new RingMember("AZaz09_.-", "h", 65_535, RingMember.MaxWeight),
            new RingMember("x", "::1", 1, RingMember.NormalWeight),
        ]);

        Assert.Equal(3, ring.Members.Length);
    }
}
