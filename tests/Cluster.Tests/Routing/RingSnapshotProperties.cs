using System.Globalization;
using Chat.Cluster.Routing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Chat.Tests.Cluster.Routing;

/// <summary>
/// Properties over random member sets. Replay fixes FsCheck's seed so every run checks the same
/// cases (a failure prints its own seed to replay a different one).
/// </summary>
public sealed class RingSnapshotProperties
{
    private const string Seed = "(20240611,977)";

    // Couple ids looked up in every case.
    private static readonly string[] CoupleIds = Enumerable.Range(0, 300).Select(i => "c" + (i * 7919).ToString(CultureInfo.InvariantCulture)).ToArray();

    private static readonly string[] IdPool =
        ["a", "b", "B", "shard-1", "shard-10", "shard-2", "x.y", "x_y", "x-y", "0", new string('z', 64), "Chat-Shard.07"];

    [Property(Replay = Seed, MaxTest = 100)]
    public Property Owner_is_deterministic_and_ignores_member_order_address_and_epoch() =>
        Prop.ForAll(MemberSets().ToArbitrary(), Rewrites().ToArbitrary(), (members, rewrite) =>
        {
            var ring = new RingSnapshot(1, members);
            var other = new RingSnapshot(rewrite.Epoch, rewrite.Apply(members));

            foreach (var coupleId in CoupleIds)
            {
                var owner = ring.OwnerOf(coupleId)!;
                if (!members.Contains(owner)
                    || !ReferenceEquals(owner, ring.OwnerOf(coupleId))
                    || owner.ShardId != other.OwnerOf(coupleId)!.ShardId)
                {
                    return false;
                }
            }

            return true;
        });

    [Property(Replay = Seed, MaxTest = 100)]
    public Property Removing_any_member_moves_only_its_couples(int pick) =>
        Prop.ForAll(MemberSets().Where(m => m.Length > 1).ToArbitrary(), members =>
        {
            var leaving = members[(int)((uint)pick % (uint)members.Length)].ShardId;
            var ring = new RingSnapshot(1, members);
            var smaller = new RingSnapshot(2, members.Where(m => m.ShardId != leaving));

            return CoupleIds.All(id =>
            {
                var before = ring.OwnerOf(id)!.ShardId;
                var after = smaller.OwnerOf(id)!.ShardId;
                return before == leaving ? after != leaving : after == before;
            });
        });

    [Property(Replay = Seed, MaxTest = 100)]
    public Property Shares_sum_to_one() =>
        Prop.ForAll(MemberSets().ToArbitrary(), members =>
            Math.Abs(new RingSnapshot(1, members).HashSpaceShares().Values.Sum() - 1.0) < 1e-9);

    // 1..12 distinct ids with weights 1..300: small enough that a case builds in well under a millisecond.
    private static Gen<RingMember[]> MemberSets() =>
        from ids in Gen.SubListOf(IdPool).Where(ids => ids.Count > 0)
        from weights in Gen.ArrayOf(Gen.Choose(RingMember.MinWeight, 300), ids.Count)
        from ports in Gen.ArrayOf(Gen.Choose(1, 65_535), ids.Count)
        select ids.Select((id, i) => new RingMember(id, "10.0.0." + (ports[i] % 250).ToString(CultureInfo.InvariantCulture), ports[i], weights[i])).ToArray();

    private static Gen<Rewrite> Rewrites() =>
        from seed in Gen.Choose(0, int.MaxValue)
        from epoch in Gen.Choose(0, int.MaxValue)
        select new Rewrite(seed, epoch);

    /// <summary>The same members shuffled, with other hosts and ports, at another epoch.</summary>
    public sealed record Rewrite(int Seed, long Epoch)
    {
        public RingMember[] Apply(RingMember[] members)
        {
            var random = new Random(Seed);
            var moved = members.Select(m => m with { Host = "host-" + random.Next(1000).ToString(CultureInfo.InvariantCulture), MuxPort = random.Next(1, 65_536) }).ToArray();
            random.Shuffle(moved);
            return moved;
        }
    }
}
