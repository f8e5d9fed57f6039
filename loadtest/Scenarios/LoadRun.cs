using System.Diagnostics;
using Chat.LoadTest.Cluster;
using Chat.LoadTest.Load;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

/// <summary>
/// One load against the local cluster: runs the worker slices, shows live progress, polls the
/// gateways' re-homed stream counters once a second, records ring epochs, and fires the scenario's
/// action at its moment (a fraction of the duration after the first message was sent).
/// </summary>
internal sealed class LoadRun(LocalCluster cluster, TimelineRecorder timeline)
{
    private readonly List<TimelineEvent> _events = [];
    private readonly Lock _eventsLock = new();
    private readonly Dictionary<string, double> _rehomedByGateway = new(StringComparer.Ordinal);
    private volatile string _phase = "connecting";

    public async Task<LoadOutcome> RunAsync(IReadOnlyList<LoadSpec> specs, string runDir, ChaosAction? action, double actionAt, CancellationToken cancellationToken)
    {
        await SampleRehomedAsync(cancellationToken);
        var rehomedBefore = RehomedTotal();
        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new LiveProgress(timeline, () => _phase).RunAsync(background.Token);
        var rehomed = PollRehomedAsync(background.Token);
        var totalDevices = specs.Sum(s => s.Couples * 2 * s.DevicesPerUser);
        var duration = specs.Max(s => s.DurationSeconds);
        var chaos = action is null ? Task.FromResult<(double?, string?)>((null, null)) : RunActionAsync(action, totalDevices, duration * actionAt, specs[0].Mode, background.Token);
        var phases = TrackPhaseAsync(totalDevices, duration, background.Token);

        IReadOnlyList<WorkerResult> results;
        try
        {
            results = await WorkerPool.RunAsync(specs, timeline, runDir, cancellationToken);
        }
        finally
        {
            _phase = "done";
        }

        var (at, error) = await chaos;
        await background.CancelAsync();
        await Task.WhenAll(progress, rehomed, phases);
        await SampleRehomedAsync(CancellationToken.None);
        // Epochs of the cluster's start come before the timeline: only the changes during the load.
        foreach (var change in cluster.RingChanges.Where(c => c.UnixMs >= timeline.StartUnixMs))
        {
            Note("ring", $"epoch {change.Epoch}: {string.Join(' ', change.Members)}", change.UnixMs);
        }

        TimelineEvent[] events;
        lock (_eventsLock)
        {
            events = [.. _events.OrderBy(e => e.T)];
        }

        return new LoadOutcome(results, timeline.Build(), events, RehomedTotal() - rehomedBefore, at, error);
    }

    /// <summary>Adds an event at a Unix time (now when null).</summary>
    public void Note(string kind, string label, long? unixMs = null)
    {
        var at = timeline.Seconds(unixMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        lock (_eventsLock)
        {
            _events.Add(new TimelineEvent(Math.Max(0, at), kind, label));
        }
    }

    private async Task<(double?, string?)> RunActionAsync(ChaosAction action, int devices, double delaySeconds, LoadMode mode, CancellationToken cancellationToken)
    {
        try
        {
            // The action's clock starts when the load does: the first send (chat) or everyone connected (idle).
            var bound = Stopwatch.StartNew();
            while (!(mode == LoadMode.Chat ? timeline.Latest().Sent > 0 : timeline.Latest().Connected >= devices) && bound.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(100, cancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(delaySeconds), cancellationToken);
            var at = timeline.Seconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var error = await action(label => Note("action", label), cancellationToken);
            if (error is not null)
            {
                Note("action", "failed: " + error);
            }

            return (at, error);
        }
        catch (OperationCanceledException)
        {
            return (null, "the run ended before the action");
        }
    }

    private async Task TrackPhaseAsync(int devices, double duration, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var latest = timeline.Latest();
                if (_phase == "connecting" && (latest.Sent > 0 || latest.Connected >= devices))
                {
                    _phase = "running";
                    var started = Stopwatch.StartNew();
                    while (started.Elapsed.TotalSeconds < duration)
                    {
                        await Task.Delay(200, cancellationToken);
                    }

                    _phase = "settling";
                }

                await Task.Delay(200, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task PollRehomedAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SampleRehomedAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task SampleRehomedAsync(CancellationToken cancellationToken)
    {
        foreach (var gateway in cluster.Gateways)
        {
            if (await cluster.Admin.MetricsAsync(gateway.Admin, cancellationToken) is { } text)
            {
                // Keep the last value of every gateway, also of one that drained and exited since.
                _rehomedByGateway[gateway.Id] = AdminClient.SumMetric(text, "streams_rehomed");
            }
        }

        timeline.AddRehomed(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), RehomedTotal());
    }

    private double RehomedTotal() => _rehomedByGateway.Values.Sum();
}
