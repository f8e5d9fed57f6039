using System.Net;
using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing;

/// <summary>The channel-transport side of a stream: registration, reads, writes and close, driven by DotNetty and the session.</summary>
public sealed partial class MuxStreamChannel
{
    /// <summary>
    /// Queues a payload for the pipeline (ownership passes to the stream). Delivered at once while a
    /// read is pending (always, with AutoRead), otherwise when the pipeline next calls Read().
    /// </summary>
    internal void EnqueueInbound(IByteBuffer buffer, bool countsAgainstWindow)
    {
        if (_state == StreamState.Closed)
        {
            buffer.Release();
            return;
        }

        _inbound.Enqueue(new InboundChunk(buffer, countsAgainstWindow));
        if (_readPending && _state == StreamState.Active)
        {
            DrainInbound();
        }
    }

    /// <summary>Fires the ReadComplete owed for reads delivered during the mux connection's read loop.</summary>
    internal void FireReadCompleteIfOwed()
    {
        if (!_readCompleteOwed)
        {
            return;
        }

        _readCompleteOwed = false;
        _readPending = false;
        if (_state == StreamState.Active)
        {
            // With AutoRead the head of the pipeline asks for the next read here.
            Pipeline.FireChannelReadComplete();
        }
    }

    /// <inheritdoc />
    protected override IChannelUnsafe NewUnsafe() => new StreamUnsafe(this);

    /// <inheritdoc />
    protected override bool IsCompatible(IEventLoop eventLoop) => true;

    /// <inheritdoc />
    protected override void DoRegister()
    {
        if (_state == StreamState.Created)
        {
            _state = StreamState.Active;
        }
    }

    /// <inheritdoc />
    protected override void DoBind(EndPoint localAddress) => throw new NotSupportedException("a mux stream cannot be bound");

    /// <inheritdoc />
    protected override void DoDisconnect() => DoClose();

    /// <inheritdoc />
    protected override void DoClose()
    {
        if (_state == StreamState.Closed)
        {
            return;
        }

        _state = StreamState.Closed;
        while (_inbound.TryDequeue(out var chunk))
        {
            chunk.Buffer.Release();
        }

        _session.OnStreamClosed(this, sendReset: !_closedByPeer, _resetReason, _resetEpoch, _resetText);
    }

    /// <inheritdoc />
    protected override void DoBeginRead()
    {
        if (_state != StreamState.Active)
        {
            return;
        }

        _readPending = true;
        DrainInbound();
    }

    /// <inheritdoc />
    protected override void DoWrite(ChannelOutboundBuffer input) => _session.WriteStreamData(this, input);

    /// <inheritdoc />
    protected override object FilterOutboundMessage(object msg)
    {
        if (msg is not IByteBuffer buffer)
        {
            throw new NotSupportedException($"a mux stream writes IByteBuffer only, not {msg?.GetType().Name ?? "null"}");
        }

        if (_maxQueuedBytes > 0 && !_slowConsumerScheduled)
        {
            var queued = Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0;
            if (queued + buffer.ReadableBytes > _maxQueuedBytes)
            {
                // Not inline: we are inside the pipeline's write; reset once the write has returned.
                _slowConsumerScheduled = true;
                Execute(
                    static s => ((MuxStreamChannel)s).ResetLocally(ResetReason.SlowConsumer, "stream send queue over its bound"),
                    this);
            }
        }

        return msg;
    }

    private void DrainInbound()
    {
        var delivered = false;
        while (_readPending && _state == StreamState.Active && _inbound.TryDequeue(out var chunk))
        {
            delivered = true;
            var length = chunk.Buffer.ReadableBytes;
            if (chunk.CountsAgainstWindow)
            {
                // Before the read: an explicit owner may consume the bytes inside ChannelRead.
                _session.BeforeDelivery(this, length);
            }

            Pipeline.FireChannelRead(chunk.Buffer);
            if (chunk.CountsAgainstWindow)
            {
                _session.AfterDelivery(this, length);
            }
        }

        if (delivered)
        {
            _readCompleteOwed = true;
            _session.RequestReadComplete(this);
        }
    }

    private sealed class StreamUnsafe(MuxStreamChannel channel) : AbstractUnsafe(channel)
    {
        public override Task ConnectAsync(EndPoint remoteAddress, EndPoint localAddress) =>
            Task.FromException(new NotSupportedException("a mux stream is opened through its mux connection"));
    }
}
