using System.Text.Json.Serialization;

namespace Chat.Cluster.Membership;

/// <summary>Source-generated JSON for the membership node data (camelCase, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ShardNodeData))]
[JsonSerializable(typeof(RingNodeData))]
[JsonSerializable(typeof(GatewayNodeData))]
internal sealed partial class MembershipJsonContext : JsonSerializerContext;
