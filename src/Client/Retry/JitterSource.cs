namespace Chat.Client.Retry;

/// <summary>
/// A <see cref="Random"/> shared by timers and the reconnect loop. <see cref="Random"/> instances
/// other than <see cref="Random.Shared"/> are not thread-safe, and an injected seeded one must stay
/// usable, so every draw takes a lock (draws are rare: one per backoff or GoAway).
/// </summary>
internal sealed class JitterSource(Random random)
{
    private readonly Lock _lock = new();

    /// <summary>A uniformly distributed duration in [0, <paramref name="ceiling"/>).</summary>
    public TimeSpan Below(TimeSpan ceiling)
    {
        if (ceiling <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        double fraction;
        lock (_lock)
        {
            fraction = random.NextDouble();
        }

        return TimeSpan.FromTicks((long)(ceiling.Ticks * fraction));
    }

    /// <summary>A uniformly distributed index in [0, <paramref name="count"/>).</summary>
    public int Index(int count)
    {
        lock (_lock)
        {
            return random.Next(count);
        }
    }
}
