using System.Diagnostics.Metrics;
using Chat.Cluster.Membership;
using Chat.Hosting.Lifecycle;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Gateway.Lifecycle;

/// <summary>
/// The gateway's way out of service, run once by <see cref="DrainController"/> (SIGTERM or
/// POST /admin/drain):
/// <code>
///  drain        listener      ZooKeeper            clients               DNS updater
///    |-- stop accepting -->|                         |                       |
///    |-- weight 0, draining=true --->|               |                       |
///    |                              |-- watch ------------------------------>| drops this gateway
///    |   (GoAwayDelay)               |               |                       |
///    |-- GoAway{reconnectWithinMs}, spread over GoAwayWindow -->| reconnect elsewhere, jittered
///    |   (a client still here ReconnectWithin + CloseGrace after its GoAway is closed)
///    |   (wait: no connection open and none accepted for QuietPeriod)
///    |-- delete /chat/gateways/id -->|
///    `-- return: the host stops, exit 0
/// </code>
/// Bounded by <see cref="DrainOptions.Timeout"/>; ZooKeeper calls are bounded and never hold the
/// drain (losing ZooKeeper must not keep a gateway alive).
/// </summary>
public sealed class GatewayDrain : IDrainProcedure, IDisposable
{
    private readonly IClientListener _listener;
    private readonly IClientConnections _connections;
    private readonly IGoAwaySender _goAway;
    private readonly IGatewayPresence _presence;
    private readonly DrainOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly DrainMetrics _metrics;
    private readonly Dictionary<IChannel, long> _sentAt = new(ReferenceEqualityComparer.Instance);
    private volatile string _stage = "serving";
    private int _scheduled;
    private int _sent;
    private int _forced;

    /// <param name="listener">Closes the client listening socket(s).</param>
    /// <param name="connections">The open client connections (the <see cref="Admission.AdmissionController"/>).</param>
    /// <param name="goAway">Sends GoAway to one client (<see cref="FrameGoAwaySender"/>).</param>
    /// <param name="presence">The gateway's ZooKeeper node (<see cref="Weights.GatewayPresence"/>).</param>
    /// <param name="options">Timing.</param>
    /// <param name="timeProvider">Clock; tests advance a fake one.</param>
    /// <param name="random">Spreads the GoAways; tests pass a seeded one.</param>
    /// <param name="meterFactory">Meters; null creates a private meter.</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public GatewayDrain(
        IClientListener listener,
        IClientConnections connections,
        IGoAwaySender goAway,
        IGatewayPresence presence,
        DrainOptions options,
        TimeProvider? timeProvider = null,
        Random? random = null,
        IMeterFactory? meterFactory = null,
        ILogger<GatewayDrain>? logger = null)
    {
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _listener = listener;
        _connections = connections;
        _goAway = goAway;
        _presence = presence;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? new Random();
        _metrics = new DrainMetrics(meterFactory);
        _logger = logger ?? NullLogger<GatewayDrain>.Instance;
    }

    public DrainProgress Progress => new(
        _connections.Count,
        $"{_stage}; goaway sent {Volatile.Read(ref _sent)}/{Volatile.Read(ref _scheduled)}; closed after deadline {Volatile.Read(ref _forced)}");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            _stage = "stopping";
            _connections.StopAdmitting();
            await _listener.StopAcceptingAsync(cancellationToken);
            LifecycleLog.StoppedAccepting(_logger, _connections.Count);

            _presence.MarkDraining();
            var published = await BoundedAsync("publish weight 0", _presence.PublishAsync, cancellationToken);
            LifecycleLog.PublishedDraining(_logger, published);

            _stage = "goaway-delay";
            await Task.Delay(_options.GoAwayDelay, _time, cancellationToken);

            await GoAwayAndWaitAsync(started, cancellationToken);

            _stage = "deregistering";
            var deregistered = await BoundedAsync("deregister", _presence.DeregisterAsync, cancellationToken);
            LifecycleLog.Deregistered(_logger, deregistered);
            _stage = "done";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out: the process exits now; its session closes with it.
            LifecycleLog.CutShort(_logger, _connections.Count);
            _stage = "cut short";
        }
    }

    public void Dispose() => _metrics.Dispose();

    private async Task GoAwayAndWaitAsync(long started, CancellationToken cancellationToken)
    {
        // Each open client gets a uniformly random moment in the window.
        var window = _options.GoAwayWindow;
        var schedule = _connections.Snapshot()
            .Select(channel => (Due: TimeSpan.FromTicks((long)(_random.NextDouble() * window.Ticks)), Channel: channel))
            .OrderBy(entry => entry.Due)
            .ToArray();
        Volatile.Write(ref _scheduled, schedule.Length);
        LifecycleLog.GoAwayStarted(_logger, schedule.Length, window);
        _stage = "goaway";

        var windowStart = _time.GetTimestamp();
        var next = 0;
        var windowDone = false;
        long? quietSince = null;
        var closeAfter = _options.ReconnectWithin + _options.CloseGrace;
        while (true)
        {
            var now = _time.GetTimestamp();
            var inWindow = _time.GetElapsedTime(windowStart, now);
            var batch = 0;
            while (next < schedule.Length && schedule[next].Due <= inWindow)
            {
                batch += Send(schedule[next++].Channel, now);
            }

            if (!windowDone && next == schedule.Length)
            {
                windowDone = true;
                _stage = "waiting";
                var sent = Volatile.Read(ref _sent);
                var stillOpen = _connections.Count;
                LifecycleLog.GoAwayFinished(_logger, sent, stillOpen);
            }

            // After the window, whoever slipped in (accepted just before the listener closed) gets a
            // GoAway at once.
            var open = _connections.Snapshot();
            if (windowDone)
            {
                foreach (var channel in open)
                {
                    batch += _sentAt.ContainsKey(channel) ? 0 : Send(channel, now);
                }
            }

            _metrics.GoAwaysSent(batch);
            CloseOverdue(open, now, closeAfter);

            if (_time.GetElapsedTime(started, now) >= _options.Timeout)
            {
                LifecycleLog.TimedOut(_logger, _options.Timeout, open.Count);
                Close(open);
                return;
            }

            if (open.Count == 0 && _connections.Count == 0)
            {
                quietSince ??= now;
                var lastAccepted = _connections.LastAcceptedAt;
                var quietEnough = _time.GetElapsedTime(quietSince.Value, now) >= _options.QuietPeriod
                    && (lastAccepted is null || _time.GetUtcNow() - lastAccepted.Value >= _options.QuietPeriod);
                if (quietEnough && windowDone)
                {
                    return;
                }
            }
            else
            {
                quietSince = null;
            }

            await Task.Delay(_options.Tick, _time, cancellationToken);
        }
    }

    private int Send(IChannel channel, long now)
    {
        if (!channel.Active || !_sentAt.TryAdd(channel, now))
        {
            return 0;
        }

        _goAway.SendGoAway(channel, (int)_options.ReconnectWithin.TotalMilliseconds, _options.Reason);
        Interlocked.Increment(ref _sent);
        return 1;
    }

    private void CloseOverdue(IReadOnlyList<IChannel> open, long now, TimeSpan closeAfter)
    {
        var overdue = open.Where(c => _sentAt.TryGetValue(c, out var sentAt) && _time.GetElapsedTime(sentAt, now) >= closeAfter).ToList();
        if (overdue.Count > 0)
        {
            LifecycleLog.ForcedClose(_logger, overdue.Count);
            Close(overdue);
        }
    }

    private void Close(IReadOnlyList<IChannel> channels)
    {
        var closed = 0;
        foreach (var channel in channels)
        {
            if (channel.Active)
            {
                closed++;
                channel.CloseAsync().ContinueWith(
                    static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        Interlocked.Add(ref _forced, closed);
        _metrics.ForcedCloses(closed);
    }

    private async Task<MembershipResult> BoundedAsync(string call, Func<CancellationToken, Task<MembershipResult>> action, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_options.ZooKeeperTimeout);
        try
        {
            return await action(bound.Token).WaitAsync(_options.ZooKeeperTimeout, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LifecycleLog.ZooKeeperSlow(_logger, call, _options.ZooKeeperTimeout);
            return MembershipResult.Unavailable;
        }
    }
}
