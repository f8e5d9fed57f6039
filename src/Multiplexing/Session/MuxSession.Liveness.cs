using Chat.Multiplexing.Framing;
using Chat.Protocol.Multiplexing;
using DotNetty.Common.Concurrency;

namespace Chat.Multiplexing.Session;

/// <summary>Connection-level traffic after the handshake: Ping/Pong dead-peer detection, GoAway both ways, Settings.</summary>
internal sealed partial class MuxSession
{
    private readonly TaskCompletionSource<MuxGoAwayEvent?> _goAway = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IScheduledTask? _pingTimer;
    private IScheduledTask? _pingTimeoutTimer;
    private ulong _pingValue;
    private bool _pingOutstanding;

    /// <summary>Completes with the peer's GoAway, or with null when the connection closes without one.</summary>
    public Task<MuxGoAwayEvent?> GoAwayReceived => _goAway.Task;

    /// <summary>
    /// On the event loop: tell the peer no more streams will be accepted (Draining) or that this side
    /// is leaving (other reasons, then close). Streams at or below the last processed id continue.
    /// </summary>
    public void SendGoAway(GoAwayReason reason, string text)
    {
        if (_state != MuxSessionState.Established || _goAwaySent)
        {
            return;
        }

        if (reason != GoAwayReason.Draining)
        {
            FailConnection(MuxConnectionLossReason.LocalClose, reason, text);
            return;
        }

        _goAwaySent = true;
        _acceptingStreams = false;
        var lastStreamId = _role == MuxRole.Server ? _highestStreamId : 0;
        var goAway = new MuxGoAway { LastStreamId = lastStreamId, Reason = reason, Text = text };
        Write(MuxFrameWriter.Control(Ctx.Allocator, MuxFrameType.GoAway, MuxFrameFlags.None, 0, goAway));
        RequestFlush();
        MuxLog.GoAwaySent(_logger, _connectionId, reason, lastStreamId, text);
    }

    private void StartPinging()
    {
        if (_options.PingInterval > TimeSpan.Zero)
        {
            _pingTimer = Ctx.Executor.Schedule(static s => ((MuxSession)s).SendPing(), this, _options.PingInterval);
        }
    }

    private void SendPing()
    {
        if (_state != MuxSessionState.Established)
        {
            return;
        }

        // One ping in flight at a time; its own timer decides whether the peer is dead.
        if (!_pingOutstanding)
        {
            _pingOutstanding = true;
            _pingValue++;
            Write(MuxFrameWriter.Ping(Ctx.Allocator, MuxFrameType.Ping, _pingValue));
            RequestFlush();
            _pingTimeoutTimer = Ctx.Executor.Schedule(static (s, v) => ((MuxSession)s).OnPingTimeout((ulong)v), this, _pingValue, _options.PingTimeout);
        }

        _pingTimer = Ctx.Executor.Schedule(static s => ((MuxSession)s).SendPing(), this, _options.PingInterval);
    }

    private void OnPingTimeout(ulong value)
    {
        if (_state == MuxSessionState.Established && _pingOutstanding && _pingValue == value)
        {
            MuxLog.PingTimeout(_logger, _connectionId, _options.PingTimeout);
            FailConnection(MuxConnectionLossReason.PingTimeout, GoAwayReason.PingTimeout, $"no pong within {_options.PingTimeout}");
        }
    }

    private void OnPing(ReadOnlySpan<byte> payload)
    {
        if (MuxFrameCodec.TryReadPingPayload(payload, out var value))
        {
            Write(MuxFrameWriter.Ping(Ctx.Allocator, MuxFrameType.Pong, value));
            RequestFlush();
        }
    }

    private void OnPong(ReadOnlySpan<byte> payload)
    {
        // A pong for an older ping (or an unsolicited one) is harmless: only the current one counts.
        if (MuxFrameCodec.TryReadPingPayload(payload, out var value) && _pingOutstanding && value == _pingValue)
        {
            _pingOutstanding = false;
            _pingTimeoutTimer?.Cancel();
        }
    }

    private void OnGoAway(ReadOnlySpan<byte> payload)
    {
        if (MuxBodyCodec.TryDecode(payload, out MuxGoAway? body) != MuxBodyStatus.Ok || body is null)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, "GoAway does not parse");
            return;
        }

        var lastStreamId = (uint)body.LastStreamId;
        var goAway = new MuxGoAwayEvent(body.Reason, lastStreamId, body.Text ?? "");
        MuxLog.GoAwayReceived(_logger, _connectionId, goAway.Reason, lastStreamId, goAway.Text);
        _goAwayReceived = true;
        _acceptingStreams = false;
        _goAway.TrySetResult(goAway);

        foreach (var stream in _streams.Values.ToArray())
        {
            if (_role == MuxRole.Client && stream.StreamId > lastStreamId)
            {
                // The shard never processed this Open: the gateway may retry it elsewhere.
                stream.CloseByPeer(new MuxStreamResetEvent(ResetReason.Refused, 0, "not processed before GoAway", IsLocal: true));
            }
            else
            {
                stream.Pipeline.FireUserEventTriggered(goAway);
            }
        }

        if (body.Reason != GoAwayReason.Draining)
        {
            CloseConnection(MuxConnectionLossReason.GoAway, $"{body.Reason}: {goAway.Text}");
        }
    }

    private void OnSettings(ReadOnlySpan<byte> payload)
    {
        if (MuxBodyCodec.TryDecode(payload, out MuxSettings? settings) != MuxBodyStatus.Ok || settings is null)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, "Settings does not parse");
            return;
        }

        // New values apply to streams opened from now on; open streams keep their windows.
        ApplyPeerSettings(settings);
    }
}
