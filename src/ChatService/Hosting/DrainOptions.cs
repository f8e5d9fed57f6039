namespace Chat.ChatService.Hosting;

/// <summary>How the shard leaves service (configuration section <c>Drain</c>).</summary>
public sealed class DrainOptions
{
    public const string SectionName = "Drain";

    /// <summary>
    /// After leaving the ring, how long to wait for gateways to move the shard's streams before
    /// closing what is left. Default 30 s. The host's shutdown timeout is set to this plus 15 s;
    /// keep systemd's TimeoutStopSec above that too, or a SIGTERM cuts the drain short.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public string? Validate() =>
        Timeout >= TimeSpan.Zero && Timeout <= TimeSpan.FromMinutes(30) ? null : $"Drain:Timeout must be 0..30 min, not {Timeout}";
}
