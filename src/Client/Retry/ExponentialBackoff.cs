namespace Chat.Client.Retry;

/// <summary>
/// Exponential backoff with full jitter: after <c>n</c> consecutive failures wait a uniformly random
/// time in [0, min(max, initial x 2^n)). Full jitter (rather than "ceiling +- a little") matters when
/// a gateway dies: its thousands of clients then spread their reconnects over the whole window instead
/// of arriving in waves (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
/// </summary>
internal sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly JitterSource _jitter;

    public ExponentialBackoff(TimeSpan initial, TimeSpan max, JitterSource jitter)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), $"need 0 < initial <= max (initial {initial}, max {max})");
        }

        _initial = initial;
        _max = max;
        _jitter = jitter;
    }

    /// <summary>The upper bound of the delay after <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan Ceiling(int failures)
    {
        if (failures <= 0)
        {
            return _initial;
        }

        // Double step by step and stop at max: 2^failures overflows long ticks after ~40 failures.
        var ceiling = _initial;
        for (var i = 0; i < failures && ceiling < _max; i++)
        {
            ceiling = ceiling > _max / 2 ? _max : ceiling * 2;
        }

        return ceiling < _max ? ceiling : _max;
    }

    /// <summary>The delay to wait after <paramref name="failures"/> consecutive failures.</summary>
    public TimeSpan Next(int failures) => _jitter.Below(Ceiling(failures));
}
