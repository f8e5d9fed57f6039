using System.Globalization;

namespace Chat.Cluster.Routing;

/// <summary>The rules a member set must follow before a ring is built from it.</summary>
internal static class RingValidation
{
    /// <summary>
    /// Bounds the ring's memory and build time whatever ZooKeeper holds: 200,000 weight units are
    /// 4,000,000 points, ~50 MB and under a second to build (~0.1 us per point, see
    /// benchmarks/Routing). That is 2,000 normal shards, far beyond any planned cluster.
    /// </summary>
    internal const long MaxTotalWeight = 200_000;

    /// <summary>Returns null when the members (sorted by ShardId, ordinal) make a valid ring, else one clear line.</summary>
    internal static string? Check(long epoch, RingMember[] sortedMembers)
    {
        if (epoch < -1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Ring epoch {epoch} is invalid: expected -1 (no ring yet) or a ZooKeeper cversion >= 0.");
        }

        long totalWeight = 0;
        for (var i = 0; i < sortedMembers.Length; i++)
        {
            var member = sortedMembers[i];
            if (member is null)
            {
                return "Ring member list contains a null member.";
            }

            if (!IsValidShardId(member.ShardId))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Ring member has an invalid shard id '{Printable(member.ShardId)}': expected 1-{RingMember.MaxShardIdLength} characters of [A-Za-z0-9_.-].");
            }

            if (i > 0 && string.Equals(sortedMembers[i - 1].ShardId, member.ShardId, StringComparison.Ordinal))
            {
                return $"Ring member '{member.ShardId}' appears more than once: shard ids must be unique.";
            }

            if (member.Weight is < RingMember.MinWeight or > RingMember.MaxWeight)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Ring member '{member.ShardId}' has weight {member.Weight}: expected {RingMember.MinWeight}..{RingMember.MaxWeight} ({RingMember.NormalWeight} = normal).");
            }

            if (member.Host is null)
            {
                return $"Ring member '{member.ShardId}' has a null host.";
            }

            if (member.MuxPort is < 0 or > 65_535)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Ring member '{member.ShardId}' has mux port {member.MuxPort}: expected 0..65535.");
            }

            totalWeight += member.Weight;
        }

        return totalWeight > MaxTotalWeight
            ? string.Create(CultureInfo.InvariantCulture,
                $"Ring total weight {totalWeight} exceeds {MaxTotalWeight} ({MaxTotalWeight / RingMember.NormalWeight} normal shards): the ring would be too large to build.")
            : null;
    }

    internal static bool IsValidShardId(string? shardId)
    {
        if (shardId is null || shardId.Length is 0 or > RingMember.MaxShardIdLength)
        {
            return false;
        }

        foreach (var c in shardId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    // An invalid id may be huge or hold control characters: keep the error message one short line.
    private static string Printable(string? value)
    {
        if (value is null)
        {
            return "(null)";
        }

        const int MaxShown = 80;
        var shown = value.Length > MaxShown ? value[..MaxShown] + "..." : value;
        return string.Create(shown.Length, shown, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
