namespace Chat.ChatService.Chat;

/// <summary>
/// Per-device rate limit: <c>rate</c> tokens per second up to <c>burst</c>; each packet takes one.
/// Touched only on the couple's event loop, so no locking.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, int burst, TimeProvider time)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a token; when none is left returns false and how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _rate));
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _rate);
        return false;
    }
}
