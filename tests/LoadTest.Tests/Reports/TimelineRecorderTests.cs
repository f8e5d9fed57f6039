using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.Tests.LoadTest.Reports;

/// <summary>Per-second samples of several workers become one timeline of rates and latencies.</summary>
public class TimelineRecorderTests
{
    private const long Start = 1_700_000_000_000;

    [Fact]
    public void Cumulative_counters_of_two_workers_become_summed_rates_per_second()
    {
        var timeline = new TimelineRecorder(Start);
        timeline.Add(0, new WorkerSample { UnixMs = Start + 1000, Connected = 10, Sent = 100, Acked = 90, Delivered = 180 });
        timeline.Add(1, new WorkerSample { UnixMs = Start + 1010, Connected = 20, Sent = 50, Acked = 50, Delivered = 100 });
        timeline.Add(0, new WorkerSample { UnixMs = Start + 2000, Connected = 10, Sent = 200, Acked = 200, Delivered = 400, Reconnects = 1 });
        timeline.Add(1, new WorkerSample { UnixMs = Start + 1990, Connected = 20, Sent = 150, Acked = 150, Delivered = 300 });

        var points = timeline.Build();
        Assert.Equal([1.0, 2.0], points.Select(p => p.T));
        Assert.Equal(30, points[0].Connected);
        Assert.Equal(150, points[0].SentPerSecond);
        Assert.Equal(140, points[0].AckedPerSecond);
        Assert.Equal(200, points[1].SentPerSecond);
        Assert.Equal(210, points[1].AckedPerSecond);
        Assert.Equal(1, points[1].Reconnects);
        Assert.Equal(350, timeline.Latest().Sent);
    }

    [Fact]
    public void Interval_histograms_of_one_second_are_merged_across_workers()
    {
        var timeline = new TimelineRecorder(Start);
        var fast = Histograms.Create();
        fast.RecordValue(1_000);
        var slow = Histograms.Create();
        slow.RecordValue(9_000);
        timeline.Add(0, new WorkerSample { UnixMs = Start + 1000, EndToEnd = Histograms.Encode(fast) });
        timeline.Add(1, new WorkerSample { UnixMs = Start + 1000, EndToEnd = Histograms.Encode(slow) });

        var point = Assert.Single(timeline.Build());
        Assert.InRange(point.P50Ms, 0.99, 1.01);
        Assert.InRange(point.P99Ms, 8.99, 9.01);
    }

    [Fact]
    public void Rehomed_streams_are_counted_from_the_first_reading()
    {
        var timeline = new TimelineRecorder(Start);
        timeline.AddRehomed(Start, 5);
        timeline.Add(0, new WorkerSample { UnixMs = Start + 1000 });
        timeline.AddRehomed(Start + 2000, 12);
        timeline.Add(0, new WorkerSample { UnixMs = Start + 2000 });
        Assert.Equal([0.0, 7.0], timeline.Build().Select(p => p.Rehomed));
    }

    [Fact]
    public void Recovery_is_the_time_until_the_rate_holds_again()
    {
        TimePoint At(double t, double acked) => new(t, 0, acked, acked, acked, 0, 0, 0, 0, 0, 0);
        TimePoint[] timeline = [At(1, 100), At(2, 100), At(3, 100), At(4, 10), At(5, 0), At(6, 50), At(7, 100), At(8, 95), At(9, 100), At(10, 100)];
        Assert.Equal(2.5, RecoveryTime.After(timeline, 3.5));
        Assert.Null(RecoveryTime.After([At(1, 100), At(2, 0), At(3, 0)], 1.5));
        Assert.Null(RecoveryTime.After([At(5, 0)], 1));
    }
}
