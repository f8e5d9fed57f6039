using Chat.Client.Syncing;

namespace Chat.Client.Connection;

/// <summary>
/// An authenticated connection and what the client tracks about it: its Sync queue, liveness, the
/// catch-up state, and why it ended. Lives from AuthOk until the read loop returns; a reconnect gets
/// a new one, so nothing of a dead connection leaks into the next.
/// </summary>
internal sealed class LiveConnection(ClientConnection transport, TimeProvider time)
{
    private readonly CancellationTokenSource _ended = new();
    private readonly Lock _lock = new();
    private long _lastReceived = time.GetTimestamp();
    private (DisconnectReason Reason, string? Detail)? _endReason;
    private int _goAwayScheduled;
    private bool _catchUpRunning;
    private bool _catchUpAgain;
    private long _pingNonce;
    private bool _gapCheckArmed;
    private long _gapCheckAwaited;

    public ClientConnection Transport { get; } = transport;

    public SyncQueue Syncs { get; } = new();

    /// <summary>Cancelled when the connection has ended.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>True while the read loop waits for room in the app's event queue (not for the network).</summary>
    public bool ReaderBlocked { get; set; }

    /// <summary>
    /// True when the last packet written that the server may answer with an Error without clientMsgId
    /// was a Sync (not Typing or ReadUpTo), so such an Error can be attributed to the outstanding Sync.
    /// </summary>
    public bool LastUnkeyedWasSync { get; set; }

    /// <summary>Timers of this connection (ping, GoAway, gap check), disposed when it ends.</summary>
    private List<ITimer> Timers { get; } = [];

    public void MarkReceived() => Interlocked.Exchange(ref _lastReceived, time.GetTimestamp());

    public TimeSpan SinceLastReceived => time.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    public long NextPingNonce() => Interlocked.Increment(ref _pingNonce);

    /// <summary>True the first time only: a connection honours one GoAway.</summary>
    public bool TryScheduleGoAway() => Interlocked.Exchange(ref _goAwayScheduled, 1) == 0;

    /// <summary>Why the connection ended, when the client closed it on purpose; null when it just broke.</summary>
    public (DisconnectReason Reason, string? Detail)? EndReason
    {
        get
        {
            lock (_lock)
            {
                return _endReason;
            }
        }
    }

    /// <summary>Closes the connection for <paramref name="reason"/>; the first reason given wins.</summary>
    public void RequestClose(DisconnectReason reason, string? detail)
    {
        lock (_lock)
        {
            _endReason ??= (reason, detail);
        }

        Transport.Abort();
    }

    /// <summary>
    /// Asks for a catch-up (Sync loop). Returns true when the caller must start it; false when one is
    /// running already (it then runs one more round).
    /// </summary>
    public bool TryStartCatchUp()
    {
        lock (_lock)
        {
            if (_catchUpRunning)
            {
                _catchUpAgain = true;
                return false;
            }

            _catchUpRunning = true;
            _catchUpAgain = false;
            return true;
        }
    }

    /// <summary>The catch-up finished a round: true when it must run another (asked for meanwhile).</summary>
    public bool ContinueCatchUp()
    {
        lock (_lock)
        {
            if (_catchUpAgain)
            {
                _catchUpAgain = false;
                return true;
            }

            _catchUpRunning = false;
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once after <paramref name="delay"/> (on a timer thread) unless the
    /// connection has ended by then. The timer forgets itself when it fires, so a long-lived connection
    /// does not accumulate spent timers.
    /// </summary>
    public void After(TimeSpan delay, Action action)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                lock (_lock)
                {
                    Timers.Remove(timer!);
                }

                timer!.Dispose();
                if (!_ended.IsCancellationRequested)
                {
                    action();
                }
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            if (_ended.IsCancellationRequested)
            {
                timer.Dispose();
                return;
            }

            Timers.Add(timer);
        }

        // Armed only once it is registered, so it cannot fire (and remove itself) before being added.
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Arms the gap check unless one is armed already (they coalesce). Returns true when the caller's
    /// check was armed now; <paramref name="awaitedSeq"/> is remembered either way (the highest wins).
    /// </summary>
    public bool TryArmGapCheck(long awaitedSeq)
    {
        lock (_lock)
        {
            _gapCheckAwaited = Math.Max(_gapCheckAwaited, awaitedSeq);
            if (_gapCheckArmed)
            {
                return false;
            }

            _gapCheckArmed = true;
            return true;
        }
    }

    /// <summary>The gap check fired: disarms it and returns the highest seq it was awaiting.</summary>
    public long DisarmGapCheck()
    {
        lock (_lock)
        {
            _gapCheckArmed = false;
            var awaited = _gapCheckAwaited;
            _gapCheckAwaited = 0;
            return awaited;
        }
    }

    public void AddTimer(ITimer timer)
    {
        lock (_lock)
        {
            if (_ended.IsCancellationRequested)
            {
                timer.Dispose();
                return;
            }

            Timers.Add(timer);
        }
    }

    /// <summary>The read loop returned: cancel waiters, answer queued Syncs, stop timers, close the socket.</summary>
    public async ValueTask EndAsync()
    {
        List<ITimer> timers;
        lock (_lock)
        {
            _ended.Cancel();
            timers = [.. Timers];
            Timers.Clear();
        }

        foreach (var timer in timers)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        Syncs.EndAll();
        // _ended is not disposed: late callers (timers, SyncAsync) may still read Ended; it holds no timer.
        await Transport.DisposeAsync().ConfigureAwait(false);
    }
}
