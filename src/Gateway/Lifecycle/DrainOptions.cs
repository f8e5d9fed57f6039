namespace Chat.Gateway.Lifecycle;

/// <summary>
/// How the gateway leaves service (configuration section "Drain"). The whole drain takes about
/// GoAwayDelay + GoAwayWindow + ReconnectWithin + QuietPeriod (100 s by default), at most
/// <see cref="Timeout"/>. The host's shutdown timeout and systemd's TimeoutStopSec must be longer
/// than <see cref="Timeout"/>, or a SIGTERM drain is cut short.
/// </summary>
public sealed class DrainOptions
{
    public const string Section = "Drain";

    /// <summary>
    /// Pause between publishing weight 0 and the first GoAway, so DNS updaters drop this gateway
    /// before its clients look for another. Default 5 s; shorter than the DNS TTL sends some clients
    /// back here (they are refused and retry).
    /// </summary>
    public TimeSpan GoAwayDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// GoAways are spread uniformly at random over this window, so the other gateways see the
    /// reconnects as a ramp, not a spike of full handshakes. Default 60 s; 0 sends all at once.
    /// </summary>
    public TimeSpan GoAwayWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Told to each client in its GoAway: reconnect at a random moment within this. Default 30 s.
    /// </summary>
    public TimeSpan ReconnectWithin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A client still connected this long after ReconnectWithin ran out (an old client that ignores
    /// GoAway) is closed. Default 15 s.
    /// </summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The drain ends once no connection is open and none arrived for this long. Default 5 s.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound of the whole drain; what is still open then is closed. Default 10 min. Keep the
    /// host shutdown timeout and systemd TimeoutStopSec above it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bound of each ZooKeeper call of the drain (publish weight 0, deregister). Default 5 s.</summary>
    public TimeSpan ZooKeeperTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the drain looks at its connections (GoAways go out in batches of this). Default 250 ms.</summary>
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The reason sent in GoAway, for client logs. Default "draining".</summary>
    public string Reason { get; set; } = "draining";

    /// <summary>One line per problem, or null when the options are usable.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        Check(errors, nameof(GoAwayDelay), GoAwayDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, nameof(GoAwayWindow), GoAwayWindow, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, nameof(ReconnectWithin), ReconnectWithin, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(int.MaxValue));
        Check(errors, nameof(CloseGrace), CloseGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, nameof(QuietPeriod), QuietPeriod, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, nameof(Timeout), Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Check(errors, nameof(ZooKeeperTimeout), ZooKeeperTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        Check(errors, nameof(Tick), Tick, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 200)
        {
            errors.Add("Drain:Reason must be 1-200 characters");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static void Check(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"Drain:{name} is {value}: expected {min}..{max}");
        }
    }
}
