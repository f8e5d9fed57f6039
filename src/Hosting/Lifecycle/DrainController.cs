using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.Hosting.Lifecycle;

/// <summary>
/// Runs the server's <see cref="IDrainProcedure"/> once, whoever asks first: `POST /admin/drain`
/// (an autoscaling lifecycle hook) or SIGTERM (systemd stop). After a drain requested over HTTP the
/// process stops itself and exits 0; on SIGTERM the host's stop waits for the drain, bounded by the
/// host's shutdown timeout (keep systemd's TimeoutStopSec above it).
/// </summary>
public sealed class DrainController(
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<DrainController> logger,
    IDrainProcedure? procedure = null) : IHostedService
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private int _requested;
    private DateTimeOffset? _startedAt;
    private string? _reason;
    private volatile DrainPhase _phase = DrainPhase.Serving;

    public DrainPhase Phase => _phase;

    /// <summary>Completes when the drain procedure has returned.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts the drain unless it already started. Returns false when it had.</summary>
    public bool RequestDrain(string reason)
    {
        if (Interlocked.Exchange(ref _requested, 1) == 1)
        {
            return false;
        }

        _reason = reason;
        _startedAt = timeProvider.GetUtcNow();
        _phase = DrainPhase.Draining;
        HostingLog.DrainStarted(logger, reason);
        _ = Task.Run(RunAsync);
        return true;
    }

    /// <summary>The state reported by `GET /admin/drain`.</summary>
    public DrainStatus Status()
    {
        var progress = procedure?.Progress ?? new DrainProgress(0, "nothing to drain");
        var elapsed = _startedAt is { } started ? (timeProvider.GetUtcNow() - started).TotalSeconds : 0;
        return new DrainStatus(_phase.ToString().ToLowerInvariant(), _reason, _startedAt, Math.Round(elapsed, 1),
            progress.Remaining, progress.Detail);
    }

    /// <summary>
    /// For a server runtime's own StopAsync (it stops before this controller, which was registered
    /// first): starts the drain unless it runs already and waits for it, until
    /// <paramref name="cancellationToken"/> (the host's shutdown timeout) says to close anyway.
    /// </summary>
    public async Task DrainBeforeStopAsync(CancellationToken cancellationToken)
    {
        RequestDrain("process stop");
        try
        {
            await _completion.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out; the caller closes what is left.
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Host stop (SIGTERM, Ctrl-C, or our own StopApplication): drain first, bounded by the host's timeout.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        RequestDrain("process stop");
        try
        {
            await _completion.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            HostingLog.DrainCutShort(logger, procedure?.Progress.Remaining ?? 0);
            await _abort.CancelAsync();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (procedure is not null)
            {
                await procedure.RunAsync(_abort.Token);
            }

            HostingLog.DrainFinished(logger, Math.Round(Status().ElapsedSeconds, 1));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed drain must still let the process stop: the supervisor restarts or replaces it.
            HostingLog.DrainFailed(logger, ex);
        }
        finally
        {
            _phase = DrainPhase.Drained;
            _completion.TrySetResult();
            lifetime.StopApplication();
        }
    }
}

/// <summary>JSON body of `GET /admin/drain`.</summary>
public sealed record DrainStatus(string Phase, string? Reason, DateTimeOffset? StartedAt, double ElapsedSeconds,
    long Remaining, string Detail);
