using Chat.Protocol.Framing;

namespace Chat.Gateway.Hosting;

/// <summary>Per-connection limits at the client edge and in the relay (configuration section <c>Limits</c>).</summary>
public sealed class GatewayLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>
    /// Time from accept to the Auth frame (TLS handshake included). Default 10 s. Longer lets a
    /// slowloris hold a socket (and TLS state) that long per connection for free.
    /// </summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest client frame (length prefix value), both directions. Default 64 KiB, as the shards.
    /// Must not exceed the shards' limit (they would close what the gateway let through) nor the mux
    /// stream window (a frame must fit in one window).
    /// </summary>
    public int MaxFrame { get; set; } = 64 * 1024;

    /// <summary>
    /// Client bytes held per connection while its stream is being (re)opened. Default 256 KiB; past
    /// it the gateway stops reading the client socket until the stream is open. Larger: more memory
    /// per client during a ring change, fewer pauses for chatty clients.
    /// </summary>
    public int MaxHeldBytesPerClient { get; set; } = 256 * 1024;

    /// <summary>
    /// Client bytes written into a stream and not yet sent as mux Data (no credit) before the gateway
    /// stops reading that client. Default 64 KiB; reading resumes at half of it.
    /// </summary>
    public int MaxPendingUpstreamBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Stream opens in a row that a shard refuses (NotOwner, Refused, ...) before the client is told
    /// Unavailable and closed. Default 5. Waiting for an unreachable shard that is still in the ring
    /// does not count: <c>Shards:UnreachableGrace</c> bounds that.
    /// </summary>
    public int MaxRouteAttempts { get; set; } = 5;

    /// <summary>First delay between refused opens; doubles per attempt. Default 100 ms.</summary>
    public TimeSpan RouteBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a stream reset with NotOwner(epoch) or Moved waits for this gateway's ring to reach
    /// that epoch (or to move the couple) before trying anyway. Default 5 s.
    /// </summary>
    public TimeSpan RingWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The receive window the gateway announces per mux stream: 128 KiB, or two largest frames if
    /// that is more. Credit returns in half-window batches and a partial frame is only consumed
    /// with its frame, so a window under two frames could stall a stream for good; it is also the
    /// most the gateway holds for a client that stops reading.
    /// </summary>
    internal int StreamWindow => Math.Max(128 * 1024, 2 * (MaxFrame + FrameCodec.HeaderSize));

    /// <summary>Null when valid, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (AuthTimeout <= TimeSpan.Zero)
        {
            errors.Add("Limits:AuthTimeout must be positive");
        }

        if (MaxFrame is < FrameCodec.MinFrameLengthLimit or > FrameCodec.MaxFrameLengthLimit)
        {
            errors.Add($"Limits:MaxFrame must be {FrameCodec.MinFrameLengthLimit}-{FrameCodec.MaxFrameLengthLimit}, not {MaxFrame}");
        }

        if (MaxHeldBytesPerClient < MaxFrame)
        {
            errors.Add("Limits:MaxHeldBytesPerClient must be at least Limits:MaxFrame");
        }

        if (MaxPendingUpstreamBytes < 1)
        {
            errors.Add("Limits:MaxPendingUpstreamBytes must be positive");
        }

        if (MaxRouteAttempts is < 1 or > 100)
        {
            errors.Add($"Limits:MaxRouteAttempts must be 1-100, not {MaxRouteAttempts}");
        }

        if (RouteBackoff <= TimeSpan.Zero || RingWait < TimeSpan.Zero)
        {
            errors.Add("Limits:RouteBackoff must be positive and Limits:RingWait not negative");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
