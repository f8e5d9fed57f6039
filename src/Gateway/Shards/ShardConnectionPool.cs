using System.Collections.Concurrent;
using System.Net;
using Chat.Cluster.Routing;
using Chat.Gateway.Diagnostics;
using Chat.Multiplexing;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Shards;

/// <summary>
/// The gateway's mux connections to every shard of the ring (<see cref="ShardPoolOptions.ConnectionsPerShard"/>
/// each, from the ring members' Host:MuxPort), opened ahead of need on every ring change and
/// repaired with backoff. Streams go to the connection of the shard with the fewest streams.
/// </summary>
/// <remarks>
/// A shard that leaves the ring is retired: no reconnects, and its connections close once their
/// streams have moved (the shard resets them with Moved). A member whose address changed gets a
/// fresh set of connections; the old ones are retired the same way.
/// </remarks>
public sealed class ShardConnectionPool : IShardStreamOpener, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ShardConnections> _shards = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ShardConnections> _retiring = [];
    private readonly Func<EndPoint, string, CancellationToken, ValueTask<MuxConnectResult>> _connect;
    private readonly ShardPoolOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _ringGate = new();

    /// <param name="connect">Connects and authenticates one mux connection (in the process: <see cref="MuxClient.ConnectAsync"/>).</param>
    /// <param name="random">Backoff jitter; seeded in tests.</param>
    public ShardConnectionPool(
        Func<EndPoint, string, CancellationToken, ValueTask<MuxConnectResult>> connect,
        ShardPoolOptions options,
        ILogger logger,
        TimeProvider? time = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _connect = connect;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
    }

    /// <summary>Live mux connections over all shards.</summary>
    public int ConnectionCount => _shards.Values.Sum(s => s.LiveCount);

    /// <summary>Live mux connections to one shard.</summary>
    public int LiveConnections(string shardId) => _shards.TryGetValue(shardId, out var shard) ? shard.LiveCount : 0;

    /// <inheritdoc />
    public async ValueTask<StreamOpenOutcome> OpenAsync(RingMember owner, MuxOpenRequest request, IChannelHandler initializer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var shard = ShardFor(owner);
        var lastDetail = "no connection accepts streams";
        for (var attempt = 0; attempt <= _options.ConnectionsPerShard; attempt++)
        {
            var connection = await shard.AcquireAsync(cancellationToken);
            if (connection is null)
            {
                return new StreamOpenOutcome(StreamOpenStatus.ShardUnreachable, null, $"shard {owner.ShardId} at {shard.EndPoint} unreachable");
            }

            var result = await connection.OpenStreamAsync(request, initializer, cancellationToken);
            switch (result.Status)
            {
                case MuxOpenStatus.Opened:
                    return new StreamOpenOutcome(StreamOpenStatus.Opened, result.Channel, "");
                case MuxOpenStatus.RequestTooLarge:
                    return new StreamOpenOutcome(StreamOpenStatus.RequestTooLarge, null, "the Auth frame does not fit the shard's frame limit");
                case MuxOpenStatus.TooManyStreams:
                    lastDetail = "stream limit reached";
                    break;
                default:
                    lastDetail = result.Status.ToString();
                    shard.Discard(connection);
                    break;
            }
        }

        return new StreamOpenOutcome(StreamOpenStatus.Refused, null, $"shard {owner.ShardId}: {lastDetail}");
    }

    /// <summary>
    /// Applies a new ring: connects to new members ahead of need, retires members that left (and
    /// connections to an old address). Call on every ring change.
    /// </summary>
    public void OnRingChanged(RingSnapshot ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        lock (_ringGate)
        {
            foreach (var member in ring.Members)
            {
                var shard = ShardFor(member);
                shard.Unretire();
                shard.EnsureConnected();
            }

            foreach (var (shardId, shard) in _shards)
            {
                if (ring.Find(shardId) is null && !shard.IsRetired)
                {
                    GatewayLog.ShardRetired(_logger, shardId);
                    shard.Retire();
                }
            }

            SweepLocked();
        }
    }

    /// <summary>Closes idle connections of retired shards (called on ring changes; the host also calls it on a timer).</summary>
    public void Sweep()
    {
        lock (_ringGate)
        {
            SweepLocked();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_shards.Values.Concat(_retiring).Select(s => s.CloseAllAsync()));
        _stopping.Dispose();
    }

    private void SweepLocked()
    {
        foreach (var (shardId, shard) in _shards)
        {
            if (shard.IsRetired && shard.CloseIdle())
            {
                _shards.TryRemove(new KeyValuePair<string, ShardConnections>(shardId, shard));
            }
        }

        var keep = new List<ShardConnections>();
        while (_retiring.TryTake(out var old))
        {
            if (!old.CloseIdle())
            {
                keep.Add(old);
            }
        }

        foreach (var old in keep)
        {
            _retiring.Add(old);
        }
    }

    private ShardConnections ShardFor(RingMember member)
    {
        var endPoint = ToEndPoint(member.Host, member.MuxPort);
        while (true)
        {
            if (_shards.TryGetValue(member.ShardId, out var existing))
            {
                if (existing.EndPoint.Equals(endPoint))
                {
                    return existing;
                }

                // The shard moved (restarted elsewhere): new connections there, the old ones retire.
                var moved = NewShard(member.ShardId, endPoint);
                if (_shards.TryUpdate(member.ShardId, moved, existing))
                {
                    existing.Retire();
                    _retiring.Add(existing);
                    return moved;
                }

                continue;
            }

            var created = NewShard(member.ShardId, endPoint);
            if (_shards.TryAdd(member.ShardId, created))
            {
                return created;
            }
        }
    }

    private ShardConnections NewShard(string shardId, EndPoint endPoint) =>
        new(shardId, endPoint, _connect, _options, _logger, _time, _random, _stopping.Token);

    private static EndPoint ToEndPoint(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
}
