using Chat.Cluster.Routing;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Shards;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Relay;

/// <summary>Routing and re-homing: open a stream at the owner, and again when it ends for a reason that allows it.</summary>
internal sealed partial class ClientSession
{
    /// <summary>
    /// Opens a stream at the couple's owner, retrying (bounded) until one is open, then installs it
    /// and flushes the held frames. Runs on the thread pool.
    /// </summary>
    /// <remarks>
    /// Bounds: opens the shards refuse count against <c>Limits:MaxRouteAttempts</c> (reset once a
    /// stream delivers its first bytes, i.e. the shard accepted it); time spent on an owner that
    /// cannot be reached is bounded by <c>Shards:UnreachableGrace</c> (<c>Limits:AuthTimeout</c>
    /// for a new client, which can just as well retry elsewhere). Past either, the client gets
    /// Error{Unavailable} and is closed, so it reconnects.
    /// </remarks>
    private async Task RouteAsync(RouteCause cause, string? movedFrom, long minEpoch)
    {
        var token = _closing.Token;
        var time = _context.Time;
        var limits = _context.Limits;
        var grace = cause == RouteCause.Initial ? limits.AuthTimeout : _context.Pool.UnreachableGrace;
        long? unreachableSince = null;
        var delayIndex = 0;
        try
        {
            var ring = await RingForAsync(movedFrom, minEpoch, token);
            while (true)
            {
                var owner = ring.OwnerOf(CoupleId);
                StreamOpenOutcome outcome;
                DownstreamRelayHandler? link = null;
                if (owner is null)
                {
                    outcome = new StreamOpenOutcome(StreamOpenStatus.ShardUnreachable, null, "no shard in the ring");
                }
                else
                {
                    bool migrated;
                    lock (_gate)
                    {
                        if (_state == SessionState.Closed)
                        {
                            return;
                        }

                        if (_attempts >= limits.MaxRouteAttempts)
                        {
                            FailLocked($"{_attempts} stream opens refused in a row");
                            return;
                        }

                        migrated = _everAccepted;
                        link = new DownstreamRelayHandler(this, owner.ShardId, limits.MaxFrame, _context.Metrics);
                        _link = link;
                    }

                    var request = new MuxOpenRequest(CoupleId, ring.Epoch, ClientAddress, _authFrame, migrated);
                    outcome = await _context.Shards.OpenAsync(owner, request, new StreamInitializer(link), token);
                    if (outcome.Status == StreamOpenStatus.Opened)
                    {
                        Install(link, outcome.Stream!, owner, ring.Epoch, migrated, cause);
                        return;
                    }
                }

                lock (_gate)
                {
                    if (_state == SessionState.Closed)
                    {
                        return;
                    }

                    if (ReferenceEquals(_link, link))
                    {
                        _link = null;
                    }

                    if (outcome.Status == StreamOpenStatus.ShardUnreachable)
                    {
                        var now = time.GetTimestamp();
                        unreachableSince ??= now;
                        if (time.GetElapsedTime(unreachableSince.Value, now) >= grace)
                        {
                            FailLocked(outcome.Detail);
                            return;
                        }
                    }
                    else if (outcome.Status == StreamOpenStatus.RequestTooLarge)
                    {
                        FailLocked(outcome.Detail);
                        return;
                    }
                    else
                    {
                        _attempts++;
                    }
                }

                await Task.Delay(RouteDelay(delayIndex++), time, token);
                ring = _context.Ring.Current;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client closed meanwhile: nothing to route.
        }
    }

    /// <summary>
    /// The ring to route by: after NotOwner, one at the shard's epoch or later; after Moved, one that
    /// no longer gives the couple to the shard that moved it. Both waits are bounded by RingWait; past
    /// it the current ring is used (the shard will say NotOwner again, and that counts as an attempt).
    /// </summary>
    private async Task<RingSnapshot> RingForAsync(string? movedFrom, long minEpoch, CancellationToken cancellationToken)
    {
        var wait = _context.Limits.RingWait;
        if (minEpoch > 0)
        {
            return await _context.Ring.WaitForAsync(r => r.Epoch >= minEpoch, wait, cancellationToken) ?? _context.Ring.Current;
        }

        if (movedFrom is not null)
        {
            var couple = CoupleId;
            return await _context.Ring.WaitForAsync(r => r.OwnerOf(couple)?.ShardId != movedFrom, wait, cancellationToken) ?? _context.Ring.Current;
        }

        return _context.Ring.Current;
    }

    private TimeSpan RouteDelay(int index)
    {
        var first = _context.Limits.RouteBackoff;
        return TimeSpan.FromMilliseconds(Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Min(index, 10)), 2000));
    }

    private void Install(DownstreamRelayHandler link, MuxStreamChannel stream, RingMember owner, long epoch, bool migrated, RouteCause cause)
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed || !ReferenceEquals(_link, link))
            {
                _ = stream.CloseAsync();
                return;
            }

            link.Installed = true;
            _context.Metrics.StreamOpened();
            GatewayLog.StreamOpened(_context.Logger, ConnectionId, stream.StreamId, owner.ShardId, epoch, migrated);
            if (cause != RouteCause.Initial)
            {
                _context.Metrics.Rehomed(cause.ToString());
            }

            _attempts++;
            if (link.PendingEnd is { } ended)
            {
                // The shard reset the stream before we got here (NotOwner right after the Open).
                HandleEndLocked(link, ended);
                return;
            }

            _state = SessionState.Relaying;
            _pendingUpstream = 0;
            _pausedForPending = false;
            while (_held.TryDequeue(out var frames))
            {
                WriteUpstreamLocked(link, stream, frames);
            }

            _heldBytes = 0;
            _pausedForHeld = false;
            _flushOwed = false;
            stream.Flush();
            UpdateClientReadingLocked();
        }
    }

    /// <summary>The stream delivered its first bytes: the shard accepted it.</summary>
    internal void OnStreamAccepted(DownstreamRelayHandler link)
    {
        lock (_gate)
        {
            if (ReferenceEquals(link, _link))
            {
                _attempts = 0;
                _everAccepted = true;
            }
        }
    }

    /// <summary>The stream ended (stream event loop): re-home or close the client, depending on why.</summary>
    internal void OnStreamEnded(DownstreamRelayHandler link, StreamEnd end)
    {
        lock (_gate)
        {
            if (_state == SessionState.Closed || !ReferenceEquals(link, _link))
            {
                return;
            }

            if (!link.Installed)
            {
                // Still inside OpenAsync: Install handles it.
                link.PendingEnd = end;
                return;
            }

            HandleEndLocked(link, end);
        }
    }

    /// <summary>The shard sent bytes that are not frames: a shard bug; this client alone is closed.</summary>
    internal void OnShardFrameError(DownstreamRelayHandler link, string status)
    {
        GatewayLog.ShardFrameError(_context.Logger, ConnectionId, link.ShardId, status);
        _ = link.Stream?.ResetAsync(ResetReason.ProtocolError, 0, "frame from the shard broke the client framing");
        GatewayPackets.WriteAndClose(_client, GatewayPackets.Error(ErrorCode.Internal, "relay error"));
    }

    private void HandleEndLocked(DownstreamRelayHandler link, StreamEnd end)
    {
        _link = null;
        _context.Metrics.StreamClosed();
        var (rehome, cause, epoch) = end switch
        {
            { Kind: StreamEndKind.Reset, Reason: ResetReason.Moved } => (true, RouteCause.Moved, 0L),
            { Kind: StreamEndKind.Reset, Reason: ResetReason.NotOwner } => (true, RouteCause.NotOwner, end.Epoch),
            { Kind: StreamEndKind.Reset, Reason: ResetReason.Refused or ResetReason.ShardUnavailable } => (true, RouteCause.Refused, 0L),
            { Kind: StreamEndKind.ConnectionLost } => (true, RouteCause.ConnectionLost, 0L),
            _ => (false, RouteCause.Initial, 0L),
        };

        if (!rehome)
        {
            // Closed, SlowConsumer, ProtocolError, Internal: the shard ended this client on purpose.
            // Let the frames already on their way reach the client (an Error, typically), then close.
            GatewayLog.StreamEndedClosingClient(_context.Logger, ConnectionId, end.Describe());
            _state = SessionState.Closed;
            ReleaseHeldLocked();
            _closing.Cancel();
            GatewayPackets.WriteAndClose(_client, Unpooled.Empty);
            return;
        }

        GatewayLog.Rehoming(_context.Logger, ConnectionId, CoupleId, end.Describe(), link.ShardId, end.Text);
        _state = SessionState.Rehoming;
        _pendingUpstream = 0;
        _pausedForPending = false;
        UpdateClientReadingLocked();
        var movedFrom = cause == RouteCause.Moved ? link.ShardId : null;
        _ = Task.Run(() => RouteAsync(cause, movedFrom, epoch));
    }

    private void FailLocked(string reason)
    {
        GatewayLog.RouteFailed(_context.Logger, ConnectionId, CoupleId, reason);
        _context.Metrics.RouteFailed(_everAccepted ? "rehome" : "initial");
        _state = SessionState.Closed;
        _link = null;
        ReleaseHeldLocked();
        _closing.Cancel();
        GatewayPackets.WriteAndClose(_client, GatewayPackets.Error(ErrorCode.Unavailable, "no chat server can take this connection now; reconnect", 1000));
    }

    /// <summary>Builds a stream's pipeline: the downstream relay handler made for this open.</summary>
    private sealed class StreamInitializer(DownstreamRelayHandler link) : ChannelInitializer<IChannel>
    {
        protected override void InitChannel(IChannel channel) => channel.Pipeline.AddLast("relay-down", link);
    }
}
