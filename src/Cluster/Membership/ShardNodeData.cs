namespace Chat.Cluster.Membership;

/// <summary>Data of /chat/shards/&lt;shardId&gt;: where the shard listens.</summary>
/// <param name="Host">Host name or address gateways connect to.</param>
/// <param name="MuxPort">Port of the gateway-to-shard multiplexed connections.</param>
/// <param name="DirectPort">Port for direct client connections (development and tests), if open.</param>
/// <param name="AdminPort">Port of the admin HTTP endpoint, if open.</param>
public sealed record ShardNodeData(string Host, int MuxPort, int? DirectPort, int? AdminPort);
