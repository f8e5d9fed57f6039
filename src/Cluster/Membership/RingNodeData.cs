namespace Chat.Cluster.Membership;

/// <summary>Data of /chat/ring/&lt;shardId&gt;: the shard's ring weight, fixed for the node's life.</summary>
public sealed record RingNodeData(int Weight);
