using Chat.Cluster.Routing;

namespace Chat.Tests.Cluster.Routing;

public sealed class RingSnapshotValidationTests
{
    public static TheoryData<string, long, RingMember[], string> Invalid() => new()
    {
        { "duplicate id", 1, [Member("s1"), Member("s2"), Member("s1")], "'s1' appears more than once" },
        { "weight 0", 1, [Member("s1", weight: 0)], "'s1' has weight 0: expected 1..10000" },
        { "negative weight", 1, [Member("s1", weight: -5)], "has weight -5" },
        { "weight above max", 1, [Member("s1", weight: 10_001)], "has weight 10001" },
        { "empty id", 1, [Member("")], "invalid shard id ''" },
        { "id too long", 1, [Member(new string('a', 65))], "invalid shard id" },
        { "space in id", 1, [Member("s 1")], "invalid shard id 's 1'" },
        { "slash in id", 1, [Member("s/1")], "invalid shard id 's/1'" },
        { "hash sign in id", 1, [Member("s#1")], "invalid shard id 's#1'" },
        { "non-ascii id", 1, [Member("s\u00e9")], "invalid shard id" },
        { "control char in id", 1, [Member("s\n1")], "invalid shard id 's?1'" },
        { "null id", 1, [Member(null!)], "invalid shard id '(null)'" },
        { "null host", 1, [new RingMember("s1", null!, 1, 100)], "'s1' has a null host" },
        { "negative port", 1, [new RingMember("s1", "h", -1, 100)], "mux port -1" },
        { "port too large", 1, [new RingMember("s1", "h", 65_536, 100)], "mux port 65536" },
        { "null member", 1, [Member("s1"), null!], "null member" },
        { "epoch below -1", -2, [Member("s1")], "epoch -2" },
        { "total weight too large", 1, Enumerable.Range(0, 21).Select(i => Member("s" + i, weight: 10_000)).ToArray(), "total weight 210000 exceeds 200000" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void The_constructor_rejects_invalid_members_with_a_clear_message(string why, long epoch, RingMember[] members, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new RingSnapshot(epoch, members));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("members", error.ParamName);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryCreate_returns_the_same_message_without_throwing(string why, long epoch, RingMember[] members, string expected)
    {
        Assert.False(RingSnapshot.TryCreate(epoch, members, out var snapshot, out var error), why);

        Assert.Null(snapshot);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_builds_the_same_ring_as_the_constructor()
    {
        var members = RingMembers.Equal(3);

        Assert.True(RingSnapshot.TryCreate(4, members, out var snapshot, out var error));

        Assert.Null(error);
        Assert.Equal(4, snapshot.Epoch);
        var built = new RingSnapshot(4, members);
        Assert.Equal(built.Members.ToArray(), snapshot.Members.ToArray());
        Assert.Equal(built.OwnerOf("c1"), snapshot.OwnerOf("c1"));
    }

    [Fact]
    public void A_long_invalid_id_is_cut_short_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new RingSnapshot(1, [Member(new string('z', 10_000))]));

        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void Null_member_list_is_a_bug()
    {
        Assert.Throws<ArgumentNullException>(() => new RingSnapshot(1, null!));
    }

    private static RingMember Member(string shardId, int weight = RingMember.NormalWeight) => new(shardId, "10.0.0.1", 7000, weight);
}
