using Chat.Client.Retry;

namespace Chat.Tests.Client.Retry;

public class ExponentialBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Ceiling_doubles_per_failure_and_stops_at_max()
    {
        var backoff = new ExponentialBackoff(Initial, Max, new JitterSource(new Random(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Ceiling(0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.Ceiling(1));
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.Ceiling(2));
        Assert.Equal(TimeSpan.FromMilliseconds(25600), backoff.Ceiling(7));
        Assert.Equal(Max, backoff.Ceiling(8));
        Assert.Equal(Max, backoff.Ceiling(int.MaxValue));
    }

    [Fact]
    public void Delays_use_full_jitter_below_the_ceiling()
    {
        var backoff = new ExponentialBackoff(Initial, Max, new JitterSource(new Random(7)));
        for (var failures = 0; failures < 12; failures++)
        {
            var delays = Enumerable.Range(0, 200).Select(_ => backoff.Next(failures)).ToList();
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, backoff.Ceiling(failures)));
            Assert.NotEqual(backoff.Ceiling(failures), delays.Max());
            // Full jitter: the delays cover the whole window, not a band near the ceiling.
            Assert.Contains(delays, d => d < backoff.Ceiling(failures) / 4);
            Assert.Contains(delays, d => d > backoff.Ceiling(failures) * 3 / 4);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        var a = new ExponentialBackoff(Initial, Max, new JitterSource(new Random(123)));
        var b = new ExponentialBackoff(Initial, Max, new JitterSource(new Random(123)));
        Assert.Equal(
            Enumerable.Range(0, 20).Select(a.Next).ToList(),
            Enumerable.Range(0, 20).Select(b.Next).ToList());
    }

    [Fact]
    public void Invalid_bounds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.Zero, Max, new JitterSource(new Random(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(Max, Initial, new JitterSource(new Random(1))));
    }
}
