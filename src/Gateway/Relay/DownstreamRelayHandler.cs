using System.Diagnostics;
using Chat.Gateway.Diagnostics;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Relay;

/// <summary>
/// The only handler of a client's mux stream pipeline (on the mux connection's event loop): slices
/// the shard's bytes into whole frames and writes them to the client, returning mux credit only when
/// the client write completed (explicit credit mode), so a client that stops reading exhausts the
/// shard's window for its own stream and nothing else. Stream endings go to the session.
/// </summary>
/// <remarks>
/// Whole frames matter here: the mux may split Data anywhere, and a stream can end mid-frame when
/// it is re-homed; the partial tail is dropped with the stream, so the client never sees half a
/// frame followed by the next stream's first frame. One instance per stream open attempt; it is
/// also the session's token for "which stream is current".
/// </remarks>
internal sealed class DownstreamRelayHandler : ChannelHandlerAdapter
{
    private readonly ClientSession _session;
    private readonly FrameSlicer _slicer;
    private readonly GatewayMetrics _metrics;
    private readonly Action<Task, object?> _onWritten;
    private bool _accepted;
    private bool _ended;
    private bool _flushOwed;

    public DownstreamRelayHandler(ClientSession session, string shardId, int maxFrame, GatewayMetrics metrics)
    {
        _session = session;
        _slicer = new FrameSlicer(maxFrame);
        _metrics = metrics;
        ShardId = shardId;
        _onWritten = OnWritten;
    }

    public string ShardId { get; }

    /// <summary>The stream, once its pipeline was built.</summary>
    public MuxStreamChannel? Stream { get; private set; }

    /// <summary>Set under the session lock when the session made this its current stream.</summary>
    public bool Installed { get; set; }

    /// <summary>An end that arrived before the session installed the stream (set under the session lock).</summary>
    public StreamEnd? PendingEnd { get; set; }

    public override void HandlerAdded(IChannelHandlerContext context) => Stream = (MuxStreamChannel)context.Channel;

    public override void HandlerRemoved(IChannelHandlerContext context) => _slicer.Dispose();

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer)
        {
            ReferenceCountUtilRelease(message);
            return;
        }

        if (!_accepted)
        {
            _accepted = true;
            _session.OnStreamAccepted(this);
        }

        // Credit: the bytes of whole frames are consumed when the client write completed (so a client
        // that stops reading exhausts the shard's window for this stream only). Bytes of a partial
        // frame are consumed with their frame; the window is at least two frames (see
        // GatewayLimitsOptions.StreamWindow), so a partial frame can always complete.
        var status = _slicer.Append(buffer, out var frames);
        if (status != FrameStatus.Ok)
        {
            _session.OnShardFrameError(this, status.ToString());
            return;
        }

        if (frames is null)
        {
            return;
        }

        var count = frames.ReadableBytes;
        _metrics.BytesDown(count);
        var write = _session.Client.WriteAsync(frames);
        _flushOwed = true;
        _ = write.ContinueWith(_onWritten, new WriteState(count, Stopwatch.GetTimestamp()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override void ChannelReadComplete(IChannelHandlerContext context)
    {
        if (_flushOwed)
        {
            _flushOwed = false;
            _session.Client.Flush();
        }
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        switch (evt)
        {
            case MuxStreamResetEvent reset:
                End(new StreamEnd(StreamEndKind.Reset, reset.Reason, reset.Epoch, reset.Text));
                break;
            case MuxConnectionLostEvent lost:
                End(new StreamEnd(StreamEndKind.ConnectionLost, ResetReason.Closed, 0, lost.Reason + ": " + lost.Detail));
                break;
            default:
                // GoAway(Draining): the stream goes on until the shard resets it (Moved) or the connection closes.
                break;
        }
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        End(new StreamEnd(StreamEndKind.Closed, ResetReason.Closed, 0, "stream closed"));
        if (_flushOwed)
        {
            _flushOwed = false;
            _session.Client.Flush();
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) =>
        _ = context.Channel.CloseAsync();

    private void End(StreamEnd end)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _session.OnStreamEnded(this, end);
    }

    /// <summary>
    /// The client write completed. This runs synchronously inside the client socket's write path
    /// (DotNetty's RemoveBytes), so it must not flush any socket: ConsumeBytes only queues a Window
    /// frame, and the mux session flushes it from a queued task (MuxSession.RequestFlush). Flushing
    /// the mux socket here is what corrupted the mux stream under back-pressure.
    /// </summary>
    private void OnWritten(Task write, object? state)
    {
        var written = (WriteState)state!;
        if (write.IsCompletedSuccessfully)
        {
            Stream?.ConsumeBytes(written.Consume);
            _metrics.DownstreamWrite(Stopwatch.GetElapsedTime(written.Started));
        }
    }

    private static void ReferenceCountUtilRelease(object message) => DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);

    private sealed record WriteState(int Consume, long Started);
}
