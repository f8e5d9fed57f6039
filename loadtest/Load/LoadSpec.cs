namespace Chat.LoadTest.Load;

/// <summary>
/// What one worker runs: a slice of the couples and how to load them. Serialized to JSON for worker
/// processes, so only plain values.
/// </summary>
internal sealed record LoadSpec
{
    public required string RunId { get; init; }

    public LoadMode Mode { get; init; } = LoadMode.Chat;

    /// <summary>Index of this slice's first couple (couple ids are global across workers).</summary>
    public int FirstCouple { get; init; }

    public int Couples { get; init; } = 1000;

    public int DevicesPerUser { get; init; } = 1;

    /// <summary>Messages per second sent by this slice, spread over its couples.</summary>
    public double Rate { get; init; } = 1000;

    public double DurationSeconds { get; init; } = 30;

    public int MessageBytes { get; init; } = 100;

    /// <summary>Where clients connect (gateways, HAProxy, or shards' direct ports).</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>Per couple endpoint overrides (couple id to host:port): direct connections to the owning shard.</summary>
    public IReadOnlyDictionary<string, string>? CoupleEndpoints { get; init; }

    public bool Tls { get; init; } = true;

    public string ServerName { get; init; } = "localhost";

    public string? CaPath { get; init; }

    public bool TlsResumption { get; init; } = true;

    public required string TokenKeyPath { get; init; }

    /// <summary>Source addresses 127.0.0.2 ... 127.0.0.(1+n) used round robin; 0 lets the system pick.</summary>
    public int SourceAddresses { get; init; } = 32;

    /// <summary>Connection attempts in flight at once while connecting.</summary>
    public int ConnectConcurrency { get; init; } = 100;

    /// <summary>Bound on connecting everything (also the storm's bound).</summary>
    public double ConnectTimeoutSeconds { get; init; } = 120;

    /// <summary>After sending stops: how long to wait for devices to catch up before the final Sync.</summary>
    public double SettleSeconds { get; init; } = 15;

    /// <summary>Sends in flight at once over the whole slice; beyond it the pacer skips (counted).</summary>
    public int MaxInFlight { get; init; } = 20_000;

    public int Seed { get; init; } = 1;
}
