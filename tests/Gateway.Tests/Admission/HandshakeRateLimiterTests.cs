using Chat.Gateway.Admission;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Admission;

public sealed class HandshakeRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Full_handshakes_stop_at_the_reserve_and_refill_at_the_rate()
    {
        var limiter = Limiter(rate: 10, burst: 10, reserve: 0.2);
        Assert.Equal(8, TakeAll(limiter, HandshakeKind.Full));

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryAcquire(HandshakeKind.Full));
        Assert.False(limiter.TryAcquire(HandshakeKind.Full));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(8, TakeAll(limiter, HandshakeKind.Full));
    }

    [Fact]
    public void Resumed_handshakes_get_in_when_full_ones_are_refused()
    {
        var limiter = Limiter(rate: 10, burst: 10, reserve: 0.2, resumedCost: 0.25);
        Assert.Equal(8, TakeAll(limiter, HandshakeKind.Full));

        // The reserve (2 tokens) is for resumptions only: 8 of them at 0.25 each.
        Assert.Equal(8, TakeAll(limiter, HandshakeKind.Resumption));
        Assert.False(limiter.TryAcquire(HandshakeKind.Full));
    }

    [Fact]
    public void Resumptions_bound_what_lying_clients_cost()
    {
        var limiter = Limiter(rate: 100, burst: 100, reserve: 0.2, resumedCost: 0.25);
        var admitted = TakeAll(limiter, HandshakeKind.Resumption);
        Assert.Equal(400, admitted);

        // Then one second buys 100 tokens = 400 resumptions, and the full ones wait.
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(400, TakeAll(limiter, HandshakeKind.Resumption));
    }

    [Fact]
    public void A_rate_of_zero_admits_everything()
    {
        var limiter = Limiter(rate: 0, burst: 1, reserve: 0);
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Count(_ => limiter.TryAcquire(HandshakeKind.Full)));
    }

    [Fact]
    public void The_bucket_never_holds_more_than_the_burst()
    {
        var limiter = Limiter(rate: 1000, burst: 5, reserve: 0);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, TakeAll(limiter, HandshakeKind.Full));
    }

    private static int TakeAll(HandshakeRateLimiter limiter, HandshakeKind kind)
    {
        var taken = 0;
        while (taken < 100_000 && limiter.TryAcquire(kind))
        {
            taken++;
        }

        return taken;
    }

    private HandshakeRateLimiter Limiter(double rate, double burst, double reserve, double resumedCost = 0.25) => new(
        new AdmissionOptions { FullHandshakesPerSecond = rate, HandshakeBurst = burst, ResumedReserve = reserve, ResumedCost = resumedCost },
        _clock);
}
