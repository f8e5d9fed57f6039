using Chat.Cluster.Routing;

namespace Chat.ChatService.Hosting;

/// <summary>Who this shard is and where it listens (configuration section <c>Shard</c>).</summary>
public sealed class ShardOptions
{
    public const string SectionName = "Shard";

    /// <summary>Unique shard id, 1-64 characters of [A-Za-z0-9_.-]. Required. Two live processes with one id fight over the ring node.</summary>
    public string Id { get; set; } = "";

    /// <summary>Where gateways' mux connections arrive, "ip:port" (port 0: any free port). Default "0.0.0.0:7100".</summary>
    public string MuxListen { get; set; } = "0.0.0.0:7100";

    /// <summary>
    /// Optional plain TCP listener for clients without a gateway (development, tests, benchmarks),
    /// "ip:port". Default none. It carries tokens in clear text: keep it on loopback.
    /// </summary>
    public string? DirectListen { get; set; }

    /// <summary>The host name or address gateways connect to (published in ZooKeeper). Default: the mux listen address, or the machine name when that is a wildcard.</summary>
    public string? AdvertiseHost { get; set; }

    /// <summary>Ring weight 1-10,000 (100 = normal): this shard's share of couples is proportional to it. Default 100.</summary>
    public int Weight { get; set; } = RingMember.NormalWeight;

    /// <summary>
    /// Event loop threads for connections and couples. Default: the processor count. More threads
    /// than cores only add context switches.
    /// </summary>
    public int EventLoops { get; set; } = Environment.ProcessorCount;

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (!IsValidId(Id))
        {
            errors.Add($"Shard:Id '{Id}' must be 1-64 characters of [A-Za-z0-9_.-] (--shard-id)");
        }

        if (!ListenAddress.TryParse(MuxListen, out _))
        {
            errors.Add($"Shard:MuxListen '{MuxListen}' is not an ip:port (--mux-listen)");
        }

        if (DirectListen is { Length: > 0 } direct && !ListenAddress.TryParse(direct, out _))
        {
            errors.Add($"Shard:DirectListen '{direct}' is not an ip:port (--direct-listen)");
        }

        if (AdvertiseHost is { } host && string.IsNullOrWhiteSpace(host))
        {
            errors.Add("Shard:AdvertiseHost is blank");
        }

        if (Weight is < RingMember.MinWeight or > RingMember.MaxWeight)
        {
            errors.Add($"Shard:Weight must be {RingMember.MinWeight}-{RingMember.MaxWeight}, not {Weight} (--weight)");
        }

        if (EventLoops is < 1 or > 256)
        {
            errors.Add($"Shard:EventLoops must be 1-256, not {EventLoops}");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    private static bool IsValidId(string? id) => id is { Length: >= 1 and <= 64 } && !id.AsSpan().ContainsAnyExcept(IdCharacters);
}
