using Chat.Cluster.Routing;

namespace Chat.Cluster.Membership;

/// <summary>A new ring snapshot replaced the previous one.</summary>
public sealed class RingChangedEventArgs(RingSnapshot previous, RingSnapshot current) : EventArgs
{
    public RingSnapshot Previous { get; } = previous;

    public RingSnapshot Current { get; } = current;
}
