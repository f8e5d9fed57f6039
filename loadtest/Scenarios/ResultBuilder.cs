using System.Globalization;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>Merges the workers' results into the run's result and decides pass/fail from the checks.</summary>
internal static class ResultBuilder
{
    public static RunResult Build(string scenario, string runId, DateTimeOffset startedAt, double seconds, LoadOutcome outcome, LoadMode mode, IReadOnlyDictionary<string, string> settings, IEnumerable<string> extraFailures, IReadOnlyDictionary<string, double> figures)
    {
        var w = outcome.Workers;
        var endToEnd = Merge(w.Select(r => r.EndToEnd));
        var ack = Merge(w.Select(r => r.Ack));
        var connect = Merge(w.Select(r => r.Connect));
        var checks = w.Aggregate(CheckTotals.Empty, (total, r) => total.Merge(r.Checks));
        var sendSeconds = w.Count == 0 ? 0 : (w.Max(r => r.SendEndUnixMs) - w.Min(r => r.SendStartUnixMs)) / 1000.0;
        var acked = w.Sum(r => r.Acked);
        var failures = new List<string>();
        var connectFailures = w.Sum(r => r.ConnectFailures);
        if (connectFailures > 0)
        {
            failures.Add($"{connectFailures} devices never connected");
        }

        var errors = ErrorCounts.Merge(w.Select(r => r.Errors));
        if (!checks.Passed)
        {
            // A final Sync that did not finish leaves its device's "lost" undecided: late or lost.
            var unfinished = errors.Where(e => e.Key.StartsWith("final-sync:", StringComparison.Ordinal)).Sum(e => e.Value);
            var caveat = unfinished > 0 ? $"; {unfinished} final Syncs did not finish, so some of the lost may only be late" : string.Empty;
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"delivery check: lost {checks.Lost}, duplicated {checks.Duplicated}, out of order {checks.OutOfOrder}, mismatched {checks.Mismatched} ({checks.FailedCouples} couples){caveat}"));
        }

        if (mode == LoadMode.Chat && acked == 0)
        {
            failures.Add("no message was acknowledged");
        }

        if (outcome.ActionError is not null)
        {
            failures.Add("action: " + outcome.ActionError);
        }

        failures.AddRange(extraFailures);
        return new RunResult
        {
            Scenario = scenario,
            RunId = runId,
            StartedAt = startedAt,
            Seconds = Math.Round(seconds, 1),
            Passed = failures.Count == 0,
            Failures = failures,
            Settings = settings,
            Couples = w.Sum(r => r.Couples),
            Devices = w.Sum(r => r.Devices),
            Workers = w.Count,
            Sent = w.Sum(r => r.Sent),
            Acked = acked,
            Delivered = w.Sum(r => r.Delivered),
            Skipped = w.Sum(r => r.Skipped),
            MessagesPerSecond = sendSeconds > 0 ? Math.Round(acked / sendSeconds, 1) : 0,
            ConnectFailures = connectFailures,
            ConnectSeconds = w.Count == 0 ? 0 : Math.Round(w.Max(r => r.ConnectSeconds), 3),
            Reconnects = w.Sum(r => r.Reconnects),
            Resyncs = w.Sum(r => r.Resyncs),
            Gaps = w.Sum(r => r.Gaps),
            SendsRetried = w.Sum(r => r.SendsRetried),
            Rehomed = outcome.Rehomed,
            Checks = checks,
            Errors = errors,
            EndToEnd = LatencySummary.From(endToEnd),
            Ack = LatencySummary.From(ack),
            Connect = LatencySummary.From(connect),
            Figures = figures,
            Timeline = outcome.Timeline,
            Events = outcome.Events,
        };
    }

    /// <summary>Adds up the base64 histograms of the workers (null when none decodes).</summary>
    public static HdrHistogram.HistogramBase? Merge(IEnumerable<string?> encoded)
    {
        HdrHistogram.LongHistogram? merged = null;
        foreach (var histogram in encoded.Select(Histograms.Decode))
        {
            if (histogram is null)
            {
                continue;
            }

            merged ??= Histograms.Create();
            merged.Add(histogram);
        }

        return merged;
    }
}
