namespace Chat.Protocol.Security;

/// <summary>Token verification settings.</summary>
public sealed class TokenOptions
{
    /// <summary>Largest accepted <see cref="ClockSkew"/>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A token is still accepted this long after its expiry, because the issuer's clock and ours
    /// differ a little. Default 30 s. Risk of raising it: a leaked token stays usable that much longer.
    /// </summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns why these options cannot work, or null when they are valid.</summary>
    public string? Validate() =>
        ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew
            ? $"ClockSkew must be between 0 and {MaxClockSkew} (is {ClockSkew})"
            : null;
}
