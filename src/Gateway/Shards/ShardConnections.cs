using System.Net;
using Chat.Gateway.Diagnostics;
using Chat.Multiplexing;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Shards;

/// <summary>
/// The K mux connections to one shard: each slot holds a live connection or is being (re)connected,
/// one connect at a time per slot, with exponential backoff after failures. A lost connection is
/// replaced in the background while the shard is still wanted (in the ring).
/// </summary>
internal sealed class ShardConnections
{
    private readonly Slot[] _slots;
    private readonly Func<EndPoint, string, CancellationToken, ValueTask<MuxConnectResult>> _connect;
    private readonly ShardPoolOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private volatile bool _retired;

    public ShardConnections(
        string shardId,
        EndPoint endPoint,
        Func<EndPoint, string, CancellationToken, ValueTask<MuxConnectResult>> connect,
        ShardPoolOptions options,
        ILogger logger,
        TimeProvider time,
        Random random,
        CancellationToken stopping)
    {
        ShardId = shardId;
        EndPoint = endPoint;
        _connect = connect;
        _options = options;
        _logger = logger;
        _time = time;
        _random = random;
        _stopping = stopping;
        _slots = new Slot[options.ConnectionsPerShard];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot();
        }
    }

    public string ShardId { get; }

    public EndPoint EndPoint { get; }

    /// <summary>Live connections now.</summary>
    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count(s => s.Connection is { IsAcceptingStreams: true });
            }
        }
    }

    /// <summary>Streams open over this shard's connections.</summary>
    public int StreamCount
    {
        get
        {
            lock (_gate)
            {
                return _slots.Sum(s => s.Connection?.StreamCount ?? 0);
            }
        }
    }

    /// <summary>
    /// A connection that accepts streams (the one with the fewest), connecting if none does; null
    /// when the shard cannot be reached now (connect failed, or still backing off from a failure).
    /// </summary>
    public async ValueTask<MuxClientConnection?> AcquireAsync(CancellationToken cancellationToken)
    {
        Task<MuxClientConnection?>[] connecting;
        lock (_gate)
        {
            MuxClientConnection? best = null;
            foreach (var slot in _slots)
            {
                if (slot.Connection is { IsAcceptingStreams: true } live && (best is null || live.StreamCount < best.StreamCount))
                {
                    best = live;
                }
            }

            StartConnectsLocked();
            if (best is not null)
            {
                return best;
            }

            connecting = [.. _slots.Select(s => s.Connecting).OfType<Task<MuxClientConnection?>>()];
        }

        // Wait for the first connect in progress that succeeds.
        var pending = connecting.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(cancellationToken);
            if (await done is { } connection)
            {
                return connection;
            }

            pending.Remove(done);
        }

        return null;
    }

    /// <summary>Starts connects for empty slots whose backoff has passed (ring warm-up and background repair).</summary>
    public void EnsureConnected()
    {
        lock (_gate)
        {
            StartConnectsLocked();
        }
    }

    /// <summary>Stops using a connection for new streams (closed, going away, out of stream ids); its streams go on.</summary>
    public void Discard(MuxClientConnection connection)
    {
        lock (_gate)
        {
            foreach (var slot in _slots)
            {
                if (ReferenceEquals(slot.Connection, connection))
                {
                    slot.Connection = null;
                }
            }

            StartConnectsLocked();
        }
    }

    /// <summary>The shard left the ring: no more reconnects; connections close once their streams are gone.</summary>
    public void Retire()
    {
        _retired = true;
        CloseIdle();
    }

    /// <summary>The shard is back in the ring.</summary>
    public void Unretire() => _retired = false;

    public bool IsRetired => _retired;

    /// <summary>Closes connections without streams (retired shard); returns true when none is left.</summary>
    public bool CloseIdle()
    {
        var toClose = new List<MuxClientConnection>();
        bool empty;
        lock (_gate)
        {
            foreach (var slot in _slots)
            {
                if (slot.Connection is { StreamCount: 0 } idle)
                {
                    slot.Connection = null;
                    toClose.Add(idle);
                }
            }

            empty = _slots.All(s => s.Connection is null && s.Connecting is null);
        }

        foreach (var connection in toClose)
        {
            _ = connection.CloseAsync();
        }

        return empty;
    }

    /// <summary>Closes every connection (process stop).</summary>
    public async Task CloseAllAsync()
    {
        _retired = true;
        List<MuxClientConnection> all;
        lock (_gate)
        {
            all = [.. _slots.Select(s => s.Connection).OfType<MuxClientConnection>()];
            foreach (var slot in _slots)
            {
                slot.Connection = null;
            }
        }

        await Task.WhenAll(all.Select(c => c.CloseAsync()));
    }

    private void StartConnectsLocked()
    {
        if (_retired || _stopping.IsCancellationRequested)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var slot in _slots)
        {
            if (slot.Connection is null && slot.Connecting is null && now >= slot.NextAttempt)
            {
                slot.Connecting = ConnectAsync(slot);
            }
        }
    }

    private async Task<MuxClientConnection?> ConnectAsync(Slot slot)
    {
        await Task.Yield();
        MuxConnectResult result;
        try
        {
            result = await _connect(EndPoint, ShardId, _stopping);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                slot.Connecting = null;
            }

            return null;
        }

        if (result.Status == MuxConnectStatus.Connected && result.Connection is { } connection)
        {
            lock (_gate)
            {
                slot.Connecting = null;
                slot.Failures = 0;
                if (_retired)
                {
                    _ = connection.CloseAsync();
                    return null;
                }

                slot.Connection = connection;
            }

            GatewayLog.ShardConnected(_logger, ShardId, EndPoint.ToString() ?? "?");
            _ = connection.Closed.ContinueWith(_ => OnClosed(slot, connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return connection;
        }

        TimeSpan delay;
        lock (_gate)
        {
            slot.Connecting = null;
            slot.Failures++;
            delay = Backoff(slot.Failures);
            slot.NextAttempt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        }

        GatewayLog.ShardConnectFailed(_logger, ShardId, EndPoint.ToString() ?? "?", result.Status.ToString(), result.Detail, (long)delay.TotalMilliseconds);
        ScheduleRepair(delay);
        return null;
    }

    private void OnClosed(Slot slot, MuxClientConnection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(slot.Connection, connection))
            {
                slot.Connection = null;
            }
        }

        GatewayLog.ShardDisconnected(_logger, ShardId, EndPoint.ToString() ?? "?");
        ScheduleRepair(_options.ReconnectBackoff);
    }

    private void ScheduleRepair(TimeSpan delay)
    {
        if (_retired || _stopping.IsCancellationRequested)
        {
            return;
        }

        _ = RepairAsync(delay);
    }

    private async Task RepairAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        EnsureConnected();
    }

    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var raw = Math.Min(_options.ReconnectBackoff.TotalMilliseconds * Math.Pow(2, exponent), _options.ReconnectBackoffMax.TotalMilliseconds);
        double jitter;
        lock (_random)
        {
            jitter = 0.8 + (0.4 * _random.NextDouble());
        }

        // Jitter so that many gateways do not reconnect to a restarted shard in lockstep.
        return TimeSpan.FromMilliseconds(raw * jitter);
    }

    private sealed class Slot
    {
        public MuxClientConnection? Connection { get; set; }

        public Task<MuxClientConnection?>? Connecting { get; set; }

        public long NextAttempt { get; set; }

        public int Failures { get; set; }
    }
}
