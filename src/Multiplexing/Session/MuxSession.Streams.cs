using Chat.Multiplexing.Framing;
using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing.Session;

/// <summary>The stream table: opening (gateway) and accepting (shard) streams, Data and credit, Reset, and stream close.</summary>
internal sealed partial class MuxSession
{
    /// <summary>Client side, on the event loop: sends an Open and registers the stream channel with <paramref name="initializer"/>.</summary>
    public MuxOpenResult OpenStream(MuxOpenRequest request, IChannelHandler initializer)
    {
        if (_state != MuxSessionState.Established || _goAwaySent)
        {
            return new MuxOpenResult(MuxOpenStatus.ConnectionClosed, null);
        }

        if (_goAwayReceived)
        {
            return new MuxOpenResult(MuxOpenStatus.GoingAway, null);
        }

        if (_streams.Count >= Math.Min(_peerSettings.MaxStreams, _options.MaxStreams))
        {
            return new MuxOpenResult(MuxOpenStatus.TooManyStreams, null);
        }

        if (_highestStreamId == uint.MaxValue)
        {
            return new MuxOpenResult(MuxOpenStatus.StreamIdsExhausted, null);
        }

        var body = MuxBodyCodec.Encode(new MuxOpen
        {
            CoupleId = request.CoupleId,
            RingEpoch = request.RingEpoch,
            ClientAddress = request.ClientAddress,
            AuthFrame = request.AuthFrame.ToArray(),
        });
        if (body.Length > _peerSettings.MaxFramePayload)
        {
            return new MuxOpenResult(MuxOpenStatus.RequestTooLarge, null);
        }

        var streamId = ++_highestStreamId;
        var flags = request.Migrated ? MuxFrameFlags.Migrated : MuxFrameFlags.None;
        var ctx = Ctx;
        Write(MuxFrameWriter.Control(ctx.Allocator, MuxFrameType.Open, flags, streamId, body));
        RequestFlush();

        // The Open is queued before the stream exists, so anything its pipeline writes follows it on the wire.
        var stream = AddStream(streamId, request, initializer);
        return new MuxOpenResult(MuxOpenStatus.Opened, stream);
    }

    /// <summary>A stream closed (locally, by the peer, or with the connection): forget it and tell the peer unless it ended it.</summary>
    internal void OnStreamClosed(MuxStreamChannel stream, bool sendReset, ResetReason reason, long epoch, string? text)
    {
        if (!_streams.Remove(stream.StreamId))
        {
            return;
        }

        _streamCount = _streams.Count;
        if (reason != ResetReason.Closed)
        {
            MuxLog.StreamResetLocally(_logger, _connectionId, stream.StreamId, reason, text);
        }

        if (sendReset && _state == MuxSessionState.Established)
        {
            WriteReset(stream.StreamId, reason, epoch, text);
        }
    }

    /// <summary>Bytes are about to be read by the stream's pipeline: in explicit mode they become consumable.</summary>
    internal void BeforeDelivery(MuxStreamChannel stream, int count)
    {
        if (_options.CreditMode == MuxCreditMode.Explicit)
        {
            stream.Unconsumed += count;
        }
    }

    /// <summary>The stream's pipeline handled a read: in automatic mode that is consumption.</summary>
    internal void AfterDelivery(MuxStreamChannel stream, int count)
    {
        if (_options.CreditMode == MuxCreditMode.Automatic)
        {
            ReturnCredit(stream, count);
        }
    }

    /// <summary>Explicit credit: the owner is done with bytes it was delivered.</summary>
    internal void OnConsumed(MuxStreamChannel stream, int count)
    {
        if (_options.CreditMode != MuxCreditMode.Explicit)
        {
            return;
        }

        var consumed = Math.Min(count, stream.Unconsumed);
        stream.Unconsumed -= consumed;
        ReturnCredit(stream, consumed);
    }

    private void ReturnCredit(MuxStreamChannel stream, long count)
    {
        stream.UnreturnedCredit += count;

        // Return credit in batches of half a window: the peer always keeps at least half a window
        // to send with, and a busy stream costs one Window frame per half window, not per read.
        if (stream.UnreturnedCredit < Math.Max(1, _options.InitialStreamWindow / 2)
            || !stream.Active || _state != MuxSessionState.Established)
        {
            return;
        }

        var increment = (uint)stream.UnreturnedCredit;
        stream.ReceiveWindow += increment;
        stream.UnreturnedCredit = 0;
        Write(MuxFrameWriter.Window(Ctx.Allocator, stream.StreamId, increment));
        RequestFlush();
    }

    private MuxStreamChannel AddStream(uint streamId, MuxOpenRequest request, IChannelHandler initializer)
    {
        var ctx = Ctx;
        var stream = new MuxStreamChannel(ctx.Channel, this, streamId, request, _options, _peerSettings.InitialStreamWindow);
        _streams[streamId] = stream;
        _streamCount = _streams.Count;
        stream.Pipeline.AddLast(initializer);

        // On the connection's own loop registration runs inline: the initializer builds the pipeline
        // and ChannelActive fires before this returns.
        var registration = ctx.Channel.EventLoop.RegisterAsync(stream);
        TaskObserver.ObserveFailure(registration);
        return stream;
    }

    private void OnOpen(MuxFrameHeader header, ReadOnlySpan<byte> payload)
    {
        var streamId = header.StreamId;
        if (_role != MuxRole.Server)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, "only the gateway opens streams");
            return;
        }

        if (streamId <= _highestStreamId)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Open for stream {streamId} at or below {_highestStreamId}");
            return;
        }

        if (MuxBodyCodec.TryDecode(payload, out MuxOpen? open) != MuxBodyStatus.Ok || open is null)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Open for stream {streamId} does not parse");
            return;
        }

        _highestStreamId = streamId;
        var request = new MuxOpenRequest(open.CoupleId!, open.RingEpoch, open.ClientAddress ?? "", open.AuthFrame, (header.Flags & MuxFrameFlags.Migrated) != 0);
        var admission = Admit(streamId, request);
        if (!admission.Accepted)
        {
            MuxLog.StreamRefused(_logger, _connectionId, streamId, admission.Reason, admission.Text);
            WriteReset(streamId, admission.Reason, admission.Epoch, admission.Text);
            return;
        }

        var stream = AddStream(streamId, request, _server!.StreamInitializer);
        MuxLog.StreamOpened(_logger, _connectionId, streamId, request.CoupleId);

        // The Auth frame is the stream's first bytes, as on a direct connection; it came in the Open,
        // not in Data, so it does not count against the window.
        var authFrame = Ctx.Allocator.Buffer(open.AuthFrame!.Length);
        authFrame.WriteBytes(open.AuthFrame);
        stream.EnqueueInbound(authFrame, countsAgainstWindow: false);
    }

    private MuxAdmission Admit(uint streamId, MuxOpenRequest request)
    {
        if (_goAwaySent)
        {
            return MuxAdmission.Reject(ResetReason.Refused, 0, "the shard is going away");
        }

        if (_streams.Count >= _options.MaxStreams)
        {
            return MuxAdmission.Reject(ResetReason.Refused, 0, $"too many streams ({_options.MaxStreams})");
        }

        var admission = _server!.Admission;
        if (admission is null)
        {
            return MuxAdmission.Accept;
        }

        try
        {
            return admission(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in the host's callback must cost one stream, not the connection and its other streams.
            MuxLog.AdmissionFailed(_logger, ex, _connectionId, streamId);
            return MuxAdmission.Reject(ResetReason.Internal, 0, "admission failed");
        }
    }

    private void OnData(uint streamId, IByteBuffer payload)
    {
        if (_streams.TryGetValue(streamId, out var stream))
        {
            var length = payload.ReadableBytes;
            if (length > stream.ReceiveWindow)
            {
                payload.Release();
                FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"stream {streamId} sent {length} bytes with {stream.ReceiveWindow} credit");
                return;
            }

            stream.ReceiveWindow -= length;
            stream.EnqueueInbound(payload, countsAgainstWindow: true);
            return;
        }

        payload.Release();
        if (streamId > _highestStreamId)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Data for stream {streamId}, which was never opened");
        }

        // Otherwise the stream ended and this crossed its Reset: ignore.
    }

    private void OnWindow(uint streamId, ReadOnlySpan<byte> payload)
    {
        if (!MuxFrameCodec.TryReadWindowIncrement(payload, out var increment))
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Window for stream {streamId} out of range");
            return;
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            if (streamId > _highestStreamId)
            {
                FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Window for stream {streamId}, which was never opened");
            }

            return;
        }

        var credit = stream.SendCredit + increment;
        if (credit > MuxProtocol.MaxWindow)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"stream {streamId} credit above 2^31-1");
            return;
        }

        var wasBlocked = stream.SendCredit <= 0;
        stream.SendCredit = credit;
        if (wasBlocked)
        {
            stream.SetCreditWritable(true);

            // Resend what waited for credit (flushes the stream's outbound buffer again).
            stream.Unsafe.Flush();
        }
    }

    private void OnReset(uint streamId, ReadOnlySpan<byte> payload)
    {
        if (MuxBodyCodec.TryDecode(payload, out MuxReset? reset) != MuxBodyStatus.Ok || reset is null)
        {
            FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Reset for stream {streamId} does not parse");
            return;
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            if (streamId > _highestStreamId)
            {
                FailConnection(MuxConnectionLossReason.ProtocolError, GoAwayReason.ProtocolError, $"Reset for stream {streamId}, which was never opened");
            }

            return;
        }

        MuxLog.StreamResetByPeer(_logger, _connectionId, streamId, reset.Reason, reset.Text ?? "");
        stream.CloseByPeer(new MuxStreamResetEvent(reset.Reason, reset.Epoch, reset.Text ?? "", IsLocal: false));
    }

    private void WriteReset(uint streamId, ResetReason reason, long epoch, string? text)
    {
        var reset = new MuxReset { Reason = reason, Epoch = epoch, Text = text ?? "" };
        Write(MuxFrameWriter.Control(Ctx.Allocator, MuxFrameType.Reset, MuxFrameFlags.None, streamId, reset));
        RequestFlush();
    }
}
