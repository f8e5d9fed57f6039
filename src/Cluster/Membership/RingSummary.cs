using Chat.Cluster.Routing;

namespace Chat.Cluster.Membership;

/// <summary>A ring's members as "id:weight, ..." for the log, formatted only if the line is written.</summary>
internal readonly struct RingSummary(RingSnapshot ring)
{
    public override string ToString() => string.Join(", ", ring.Members.Select(m => $"{m.ShardId}:{m.Weight}"));
}
