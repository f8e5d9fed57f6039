using Chat.LoadTest.Reports;

namespace Chat.Tests.LoadTest.Reports;

/// <summary>Latency summaries from HdrHistogram and the base64 form workers hand over.</summary>
public class HistogramsTests
{
    [Fact]
    public void Summary_of_1_to_1000_ms_has_the_expected_percentiles()
    {
        var histogram = Histograms.Create();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.RecordValue(ms * 1000L);
        }

        var summary = LatencySummary.From(histogram);
        Assert.Equal(1000, summary.Count);
        Assert.InRange(summary.P50, 499, 501);
        Assert.InRange(summary.P90, 899, 901);
        Assert.InRange(summary.P99, 989, 991);
        Assert.InRange(summary.P999, 998, 1000.5);
        Assert.InRange(summary.Max, 999, 1000.5);
        Assert.InRange(summary.Mean, 499, 502);
    }

    [Fact]
    public void An_empty_or_missing_histogram_summarizes_to_zeros()
    {
        Assert.Equal(LatencySummary.Empty, LatencySummary.From(null));
        Assert.Equal(LatencySummary.Empty, LatencySummary.From(Histograms.Create()));
    }

    [Fact]
    public void Encoding_round_trips_counts_and_percentiles()
    {
        var histogram = Histograms.Create();
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            histogram.RecordValue(random.Next(1, 5_000_000));
        }

        var decoded = Histograms.Decode(Histograms.Encode(histogram));
        Assert.NotNull(decoded);
        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        Assert.Equal(LatencySummary.From(histogram), LatencySummary.From(decoded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void Malformed_text_decodes_to_null(string? text) => Assert.Null(Histograms.Decode(text));

    [Fact]
    public void Recorder_clamps_values_into_the_trackable_range()
    {
        var recorder = Histograms.CreateRecorder();
        Histograms.Record(recorder, -5);
        Histograms.Record(recorder, long.MaxValue);
        var interval = recorder.GetIntervalHistogram();
        Assert.Equal(2, interval.TotalCount);
    }
}
