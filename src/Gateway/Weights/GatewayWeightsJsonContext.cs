using System.Text.Json.Serialization;

namespace Chat.Gateway.Weights;

/// <summary>Source-generated JSON of GET /admin/weights (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GatewayWeight[]))]
internal sealed partial class GatewayWeightsJsonContext : JsonSerializerContext;
