using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>What one load against the cluster produced: the workers' results merged, and the timeline.</summary>
internal sealed record LoadOutcome(
    IReadOnlyList<WorkerResult> Workers,
    IReadOnlyList<TimePoint> Timeline,
    IReadOnlyList<TimelineEvent> Events,
    double Rehomed,
    double? ActionAt,
    string? ActionError);
