namespace Chat.Gateway.Admission;

/// <summary>
/// Connection limits of the client edge (configuration section "Limits"). Every limit protects the
/// process from a flood; turning one off (0) trades that protection for never refusing a client.
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Limits";

    /// <summary>
    /// Client connections open at once (including those still in their TLS handshake). Default
    /// 100,000. Above it new connections are closed at once. 0 = no limit: the process then runs
    /// into its file-descriptor limit (LimitNOFILE) or out of memory instead of refusing cleanly.
    /// </summary>
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>
    /// Connections open at once from one source address (IPv6: one prefix, see
    /// <see cref="IPv6PrefixLength"/>). Default 1,000: carrier-grade NAT puts many phones behind one
    /// IPv4 address, so keep it generous. 0 = no limit: one host can then take every slot.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 1_000;

    /// <summary>
    /// IPv6 sources are counted per prefix of this many bits, since one subscriber usually owns a
    /// whole /64. Default 64; 128 counts single addresses (a host can then rotate addresses freely).
    /// </summary>
    public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>
    /// Full TLS handshakes admitted per second (token bucket refill rate). Default 500: a full TLS
    /// 1.3 handshake costs about 1 ms of CPU with SslStream, so this caps handshakes at about half a
    /// core and leaves the rest for relaying. 0 = no limit: a reconnect storm after a gateway loss
    /// can then starve every established connection of CPU.
    /// </summary>
    public double FullHandshakesPerSecond { get; set; } = 500;

    /// <summary>Token bucket size: handshakes admitted in one burst after a quiet time. Default 500.</summary>
    public double HandshakeBurst { get; set; } = 500;

    /// <summary>
    /// Share of the bucket (0..1) only handshakes that offer session resumption may use, so they are
    /// admitted first under pressure. Default 0.2.
    /// </summary>
    public double ResumedReserve { get; set; } = 0.2;

    /// <summary>
    /// Tokens a handshake offering resumption takes (a full one takes 1). Default 0.25. A client may
    /// offer a ticket the server then rejects, so offering is not free: this bounds what such
    /// clients can cost at 1/ResumedCost times the full rate.
    /// </summary>
    public double ResumedCost { get; set; } = 0.25;

    /// <summary>
    /// A client connection with no bytes in either direction for this long is closed. Default
    /// 5 min (clients ping well within it). Zero = never: dead peers behind NAT then hold their
    /// slot and memory until TCP keep-alive, if any, notices.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One line per problem, or null when the options are usable.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (MaxConnections < 0)
        {
            errors.Add($"Limits:MaxConnections is {MaxConnections}: expected 0 (no limit) or more");
        }

        if (MaxConnectionsPerAddress < 0)
        {
            errors.Add($"Limits:MaxConnectionsPerAddress is {MaxConnectionsPerAddress}: expected 0 (no limit) or more");
        }

        if (IPv6PrefixLength is < 1 or > 128)
        {
            errors.Add($"Limits:IPv6PrefixLength is {IPv6PrefixLength}: expected 1..128");
        }

        if (!double.IsFinite(FullHandshakesPerSecond) || FullHandshakesPerSecond < 0)
        {
            errors.Add($"Limits:FullHandshakesPerSecond is {FullHandshakesPerSecond}: expected 0 (no limit) or more");
        }

        if (!double.IsFinite(HandshakeBurst) || HandshakeBurst < 1)
        {
            errors.Add($"Limits:HandshakeBurst is {HandshakeBurst}: expected 1 or more");
        }

        if (!(ResumedReserve is >= 0 and < 1))
        {
            errors.Add($"Limits:ResumedReserve is {ResumedReserve}: expected 0 or more and below 1");
        }

        if (FullHandshakesPerSecond > 0 && HandshakeBurst * (1 - ResumedReserve) < 1)
        {
            errors.Add($"Limits:HandshakeBurst {HandshakeBurst} with ResumedReserve {ResumedReserve} leaves less than one token for full handshakes");
        }

        if (!(ResumedCost is > 0 and <= 1))
        {
            errors.Add($"Limits:ResumedCost is {ResumedCost}: expected more than 0 and at most 1");
        }

        if (IdleTimeout < TimeSpan.Zero || (IdleTimeout > TimeSpan.Zero && IdleTimeout < TimeSpan.FromSeconds(1)))
        {
            errors.Add($"Limits:IdleTimeout is {IdleTimeout}: expected 0 (never) or at least 1 s");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }
}
