using Chat.ChatService.Chat;

namespace Chat.Tests.ChatService.Chat;

public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_the_burst_then_the_rate_and_says_when_to_retry()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 3, time);
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var retry));
        Assert.InRange(retry.TotalMilliseconds, 99, 101);

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));

        time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(bucket.TryTake(out _));
        }

        Assert.False(bucket.TryTake(out _));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
