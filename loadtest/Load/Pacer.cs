namespace Chat.LoadTest.Load;

/// <summary>
/// Open-loop pacing: how many sends are due at an elapsed time for a fixed rate, counting what was
/// already issued, so a late tick catches up instead of lowering the rate. At most
/// <see cref="MaxBurst"/> per call: after a long stall the harness does not fire a flood at once.
/// </summary>
internal sealed class Pacer(double ratePerSecond, int maxBurst = 1000)
{
    private long _issued;

    public long Issued => _issued;

    public int MaxBurst => maxBurst;

    /// <summary>Sends due now; the caller issues them (or skips them) and they count as issued.</summary>
    public int Due(TimeSpan elapsed)
    {
        var target = (long)Math.Floor(ratePerSecond * elapsed.TotalSeconds);
        var due = target - _issued;
        if (due <= 0)
        {
            return 0;
        }

        var now = (int)Math.Min(due, maxBurst);
        _issued += now;
        return now;
    }
}
