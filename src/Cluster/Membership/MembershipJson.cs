using System.Text.Json;

namespace Chat.Cluster.Membership;

/// <summary>
/// Encodes and checks membership node data. Data read from ZooKeeper is untrusted (any process or
/// an operator can write it): a parse or range failure returns null and a reason, never throws.
/// </summary>
public static class MembershipJson
{
    public static byte[] Encode(ShardNodeData data) => JsonSerializer.SerializeToUtf8Bytes(data, MembershipJsonContext.Default.ShardNodeData);

    public static byte[] Encode(RingNodeData data) => JsonSerializer.SerializeToUtf8Bytes(data, MembershipJsonContext.Default.RingNodeData);

    public static byte[] Encode(GatewayNodeData data) => JsonSerializer.SerializeToUtf8Bytes(data, MembershipJsonContext.Default.GatewayNodeData);

    public static ShardNodeData? TryParseShard(ReadOnlySpan<byte> json, out string? error)
    {
        var data = Parse(json, MembershipJsonContext.Default.ShardNodeData, out error);
        error ??= data is null ? "null"
            : string.IsNullOrWhiteSpace(data.Host) ? "host is missing"
            : !IsPort(data.MuxPort) ? $"muxPort {data.MuxPort} is not a port"
            : data.DirectPort is { } direct && !IsPort(direct) ? $"directPort {direct} is not a port"
            : data.AdminPort is { } admin && !IsPort(admin) ? $"adminPort {admin} is not a port"
            : null;
        return error is null ? data : null;
    }

    public static RingNodeData? TryParseRing(ReadOnlySpan<byte> json, out string? error)
    {
        var data = Parse(json, MembershipJsonContext.Default.RingNodeData, out error);
        error ??= data is null ? "null"
            : data.Weight is < Routing.RingMember.MinWeight or > Routing.RingMember.MaxWeight
                ? $"weight {data.Weight} outside {Routing.RingMember.MinWeight}..{Routing.RingMember.MaxWeight}"
                : null;
        return error is null ? data : null;
    }

    public static GatewayNodeData? TryParseGateway(ReadOnlySpan<byte> json, out string? error)
    {
        var data = Parse(json, MembershipJsonContext.Default.GatewayNodeData, out error);
        error ??= data is null ? "null"
            : string.IsNullOrWhiteSpace(data.Host) ? "host is missing"
            : !IsPort(data.Port) ? $"port {data.Port} is not a port"
            : data.Connections < 0 ? "connections is negative"
            : !(data.Cpu is >= 0 and <= 1) ? $"cpu {data.Cpu} outside 0..1"
            : data.Weight < 0 ? "weight is negative"
            : null;
        return error is null ? data : null;
    }

    private static bool IsPort(int port) => port is > 0 and <= 65_535;

    private static T? Parse<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, out string? error)
        where T : class
    {
        try
        {
            error = null;
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
