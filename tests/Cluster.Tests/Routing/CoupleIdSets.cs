using System.Collections.Concurrent;
using System.Globalization;
using Chat.Cluster.Routing;

namespace Chat.Tests.Cluster.Routing;

/// <summary>
/// 1,000,000 couple ids per <see cref="CoupleIdForm"/>, generated once per test class from fixed seeds
/// so every run (and every machine) measures the same figures.
/// </summary>
public sealed class CoupleIdSets
{
    public const int Count = 1_000_000;
    private const int Seed = 12345;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly ConcurrentDictionary<CoupleIdForm, string[]> _sets = new();
    private readonly ConcurrentDictionary<CoupleIdForm, string[]> _tenShardOwners = new();

    public string[] Get(CoupleIdForm form) => _sets.GetOrAdd(form, Generate);

    /// <summary>Owners of <see cref="Get"/>(form) on the ring of shard-00..shard-09, weight 100: the "before" of most tests.</summary>
    public string[] OwnersOnTenEqualShards(CoupleIdForm form) =>
        _tenShardOwners.GetOrAdd(form, f => RingMembers.Owners(new RingSnapshot(1, RingMembers.Equal(10)), Get(f)));

    private static string[] Generate(CoupleIdForm form)
    {
        var random = new Random(Seed);
        var ids = new string[Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = form switch
            {
                CoupleIdForm.Sequential => "c" + (i + 1).ToString(CultureInfo.InvariantCulture),
                CoupleIdForm.RandomNumeric => "c" + random.NextInt64(1_000_000_000_000).ToString(CultureInfo.InvariantCulture),
                CoupleIdForm.Random16 => string.Create(16, random, static (span, r) =>
                {
                    for (var j = 0; j < span.Length; j++)
                    {
                        span[j] = Alphabet[r.Next(Alphabet.Length)];
                    }
                }),
                _ => throw new ArgumentOutOfRangeException(nameof(form)),
            };
        }

        return ids;
    }
}
