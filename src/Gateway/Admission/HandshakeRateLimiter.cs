namespace Chat.Gateway.Admission;

/// <summary>
/// Token bucket for TLS handshakes. A full handshake takes one token but only while more than the
/// reserve is left; a handshake offering resumption takes <see cref="AdmissionOptions.ResumedCost"/>
/// and may use the reserve. Under a reconnect storm the full handshakes settle at the refill rate
/// while resuming clients (the cheap ones, typically the clients of a lost gateway) still get in first.
/// <code>
///   burst ┬──────────────┐
///         │ full + resumed│  full: take 1 while tokens - 1 >= reserve
/// reserve ┼──────────────┤
///         │ resumed only  │  resumed: take ResumedCost while tokens >= ResumedCost
///       0 ┴──────────────┘
/// </code>
/// </summary>
internal sealed class HandshakeRateLimiter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private readonly double _reserve;
    private readonly double _resumedCost;
    private double _tokens;
    private long _refilledAt;

    public HandshakeRateLimiter(AdmissionOptions options, TimeProvider time)
    {
        _time = time;
        _rate = options.FullHandshakesPerSecond;
        _burst = options.HandshakeBurst;
        _reserve = options.HandshakeBurst * options.ResumedReserve;
        _resumedCost = options.ResumedCost;
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Tokens left now (for tests and diagnostics).</summary>
    public double Tokens
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens;
            }
        }
    }

    public bool TryAcquire(HandshakeKind kind)
    {
        if (_rate <= 0)
        {
            return true;
        }

        lock (_lock)
        {
            Refill();
            if (kind == HandshakeKind.Full)
            {
                if (_tokens - 1 < _reserve)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }

            if (_tokens < _resumedCost)
            {
                return false;
            }

            _tokens -= _resumedCost;
            return true;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _rate));
            _refilledAt = now;
        }
    }
}
