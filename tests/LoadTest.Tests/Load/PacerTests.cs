using Chat.LoadTest.Load;

namespace Chat.Tests.LoadTest.Load;

/// <summary>Open-loop pacing: sends due by elapsed time, late ticks catch up, bursts are bounded.</summary>
public class PacerTests
{
    [Fact]
    public void Ticks_issue_what_the_rate_makes_due()
    {
        var pacer = new Pacer(1000);
        Assert.Equal(5, pacer.Due(TimeSpan.FromMilliseconds(5)));
        Assert.Equal(0, pacer.Due(TimeSpan.FromMilliseconds(5.5)));
        Assert.Equal(5, pacer.Due(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(10, pacer.Issued);
    }

    [Fact]
    public void A_late_tick_catches_up_in_bounded_bursts()
    {
        var pacer = new Pacer(10_000, maxBurst: 1000);
        Assert.Equal(1000, pacer.Due(TimeSpan.FromSeconds(1)));
        Assert.Equal(1000, pacer.Due(TimeSpan.FromSeconds(1)));
        for (var i = 0; i < 8; i++)
        {
            pacer.Due(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(10_000, pacer.Issued);
        Assert.Equal(0, pacer.Due(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Over_a_run_the_total_matches_the_rate()
    {
        var pacer = new Pacer(333);
        var total = 0L;
        for (var ms = 0; ms <= 30_000; ms += 7)
        {
            total += pacer.Due(TimeSpan.FromMilliseconds(ms));
        }

        Assert.InRange(total, 9_985, 9_990);
    }
}
