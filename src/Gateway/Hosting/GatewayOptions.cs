namespace Chat.Gateway.Hosting;

/// <summary>Who this gateway is and where clients connect (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Unique gateway id, 1-64 characters of [A-Za-z0-9_.-]. Required (--gateway-id). Sent in every mux Hello.</summary>
    public string Id { get; set; } = "";

    /// <summary>Where clients connect, "ip:port" (port 0: any free port). Default "0.0.0.0:7443" (--listen).</summary>
    public string Listen { get; set; } = "0.0.0.0:7443";

    /// <summary>Host name or address published in ZooKeeper for DNS updaters. Default: the listen address, or the machine name when that is a wildcard.</summary>
    public string? AdvertiseHost { get; set; }

    /// <summary>
    /// Terminate TLS on the client listener. Default true. False serves plain TCP (tests, and the
    /// load harness's TLS-vs-plain comparison): tokens then cross the network in clear text.
    /// </summary>
    public bool Tls { get; set; } = true;

    /// <summary>Event loop threads for client connections and mux connections. Default: the processor count.</summary>
    public int EventLoops { get; set; } = Environment.ProcessorCount;

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (Id is not { Length: >= 1 and <= 64 } || Id.AsSpan().ContainsAnyExcept(IdCharacters))
        {
            errors.Add($"Gateway:Id '{Id}' must be 1-64 characters of [A-Za-z0-9_.-] (--gateway-id)");
        }

        if (!ListenAddress.TryParse(Listen, out _))
        {
            errors.Add($"Gateway:Listen '{Listen}' is not an ip:port (--listen)");
        }

        if (AdvertiseHost is { } host && string.IsNullOrWhiteSpace(host))
        {
            errors.Add("Gateway:AdvertiseHost is blank");
        }

        if (EventLoops is < 1 or > 256)
        {
            errors.Add($"Gateway:EventLoops must be 1-256, not {EventLoops}");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
}
