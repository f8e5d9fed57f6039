using Chat.LoadTest.Load;
using HdrHistogram;

namespace Chat.LoadTest.Reports;

/// <summary>
/// Collects the per-second samples of every worker (thread-safe) and turns them into one timeline:
/// cumulative counters summed over workers at each whole second since the run started, rates from
/// the difference to the previous second, latency percentiles from the merged interval histograms.
/// </summary>
internal sealed class TimelineRecorder(long startUnixMs)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, SortedDictionary<int, WorkerSample>> _byWorker = [];
    private readonly SortedDictionary<int, LongHistogram> _latency = [];
    private readonly SortedDictionary<int, double> _rehomed = [];

    public long StartUnixMs => startUnixMs;

    /// <summary>The second of the run a Unix time falls in.</summary>
    public int Second(long unixMs) => (int)Math.Max(0, Math.Round((unixMs - startUnixMs) / 1000.0));

    public double Seconds(long unixMs) => Math.Round((unixMs - startUnixMs) / 1000.0, 3);

    public void Add(int worker, WorkerSample sample)
    {
        var second = Second(sample.UnixMs);
        var histogram = Histograms.Decode(sample.EndToEnd);
        lock (_lock)
        {
            if (!_byWorker.TryGetValue(worker, out var samples))
            {
                _byWorker[worker] = samples = [];
            }

            samples[second] = sample;
            if (histogram is not null)
            {
                if (!_latency.TryGetValue(second, out var merged))
                {
                    _latency[second] = merged = Histograms.Create();
                }

                merged.Add(histogram);
            }
        }
    }

    /// <summary>The cumulative count of re-homed streams over all gateways at a time.</summary>
    public void AddRehomed(long unixMs, double total)
    {
        lock (_lock)
        {
            _rehomed[Second(unixMs)] = total;
        }
    }

    /// <summary>The latest totals over workers (for live progress).</summary>
    public WorkerSample Latest()
    {
        lock (_lock)
        {
            var latest = _byWorker.Values.Where(s => s.Count > 0).Select(s => s.Values.Last()).ToArray();
            return Sum(latest, latest.Length == 0 ? 0 : latest.Max(s => s.UnixMs));
        }
    }

    public IReadOnlyList<TimePoint> Build()
    {
        lock (_lock)
        {
            if (_byWorker.Count == 0)
            {
                return [];
            }

            var last = _byWorker.Values.Where(s => s.Count > 0).Select(s => s.Keys.Max()).DefaultIfEmpty(0).Max();
            var points = new List<TimePoint>();
            WorkerSample? previous = null;
            double previousRehomed = 0;
            for (var second = 0; second <= last; second++)
            {
                var atSecond = _byWorker.Values.Select(s => LatestAtOrBefore(s, second)).Where(s => s is not null).Cast<WorkerSample>().ToArray();
                if (atSecond.Length == 0)
                {
                    continue;
                }

                var total = Sum(atSecond, 0);
                var histogram = _latency.GetValueOrDefault(second);
                var rehomed = _rehomed.Where(r => r.Key <= second).Select(r => r.Value).DefaultIfEmpty(previousRehomed).Last();
                points.Add(new TimePoint(
                    second,
                    total.Connected,
                    total.Sent - (previous?.Sent ?? 0),
                    total.Acked - (previous?.Acked ?? 0),
                    total.Delivered - (previous?.Delivered ?? 0),
                    histogram is null ? 0 : Math.Round(histogram.GetValueAtPercentile(50) / 1000.0, 3),
                    histogram is null ? 0 : Math.Round(histogram.GetValueAtPercentile(99) / 1000.0, 3),
                    histogram is null ? 0 : Math.Round(histogram.GetMaxValue() / 1000.0, 3),
                    total.Reconnects,
                    total.Errors,
                    Math.Max(0, rehomed - (_rehomed.Count == 0 ? 0 : _rehomed.First().Value))));
                previous = total;
                previousRehomed = rehomed;
            }

            return points;
        }
    }

    private static WorkerSample? LatestAtOrBefore(SortedDictionary<int, WorkerSample> samples, int second)
    {
        WorkerSample? found = null;
        foreach (var (at, sample) in samples)
        {
            if (at > second)
            {
                break;
            }

            found = sample;
        }

        return found;
    }

    private static WorkerSample Sum(IReadOnlyCollection<WorkerSample> samples, long unixMs) => new()
    {
        UnixMs = unixMs,
        Connected = samples.Sum(s => s.Connected),
        Sent = samples.Sum(s => s.Sent),
        Acked = samples.Sum(s => s.Acked),
        Delivered = samples.Sum(s => s.Delivered),
        Skipped = samples.Sum(s => s.Skipped),
        Errors = samples.Sum(s => s.Errors),
        Reconnects = samples.Sum(s => s.Reconnects),
    };
}
