using System.Globalization;
using Chat.Cluster.Routing;

namespace Chat.Tests.Cluster.Routing;

/// <summary>Member sets for ring tests: "shard-00", "shard-01", ... with distinct hosts and ports.</summary>
internal static class RingMembers
{
    public static RingMember Shard(int index, int weight = RingMember.NormalWeight) =>
        new(Id(index), "10.0.0." + (index + 1).ToString(CultureInfo.InvariantCulture), 7000 + index, weight);

    public static string Id(int index) => "shard-" + index.ToString("00", CultureInfo.InvariantCulture);

    public static RingMember[] Equal(int count) => Enumerable.Range(0, count).Select(i => Shard(i)).ToArray();

    /// <summary>The owner's ShardId for every id (the same string instances as the snapshot's members).</summary>
    public static string[] Owners(RingSnapshot ring, string[] coupleIds)
    {
        var owners = new string[coupleIds.Length];
        for (var i = 0; i < coupleIds.Length; i++)
        {
            owners[i] = ring.OwnerOf(coupleIds[i])!.ShardId;
        }

        return owners;
    }

    public static Dictionary<string, int> Loads(RingSnapshot ring, string[] owners)
    {
        var loads = ring.Members.ToDictionary(m => m.ShardId, _ => 0, StringComparer.Ordinal);
        foreach (var owner in owners)
        {
            loads[owner]++;
        }

        return loads;
    }
}
