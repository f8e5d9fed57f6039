using Chat.Multiplexing.Framing;
using DotNetty.Buffers;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing.Session;

/// <summary>
/// Outbound side: frames into the connection, flush batching over a read loop, and stream writes
/// paced by credit and by the connection's own writability.
/// </summary>
internal sealed partial class MuxSession
{
    private readonly List<MuxStreamChannel> _readCompleteList = [];
    private readonly Queue<MuxStreamChannel> _waitingForParent = new();
    private bool _inReadLoop;
    private bool _flushPending;
    private bool _resumeScheduled;
    private bool _flushScheduled;

    /// <summary>
    /// Sends what a stream's outbound buffer holds, as far as its credit and the connection allow.
    /// Beyond credit the bytes stay queued in the stream (its writability reflects it); when the
    /// connection itself is unwritable the stream waits for ChannelWritabilityChanged, so one slow
    /// mux socket bounds what all streams together can pile up.
    /// </summary>
    internal void WriteStreamData(MuxStreamChannel stream, ChannelOutboundBuffer input)
    {
        if (_state != MuxSessionState.Established)
        {
            // Closing: the stream is about to hear ConnectionLost and fail its queue.
            return;
        }

        var ctx = Ctx;
        var wrote = false;
        while (input.Current is { } message)
        {
            if (message is not IByteBuffer buffer)
            {
                input.Remove(new NotSupportedException("a mux stream writes IByteBuffer only"));
                continue;
            }

            var readable = buffer.ReadableBytes;
            if (readable == 0)
            {
                input.Remove();
                continue;
            }

            if (stream.SendCredit <= 0)
            {
                break;
            }

            if (!ctx.Channel.IsWritable)
            {
                WaitForParent(stream);
                break;
            }

            var length = (int)Math.Min(Math.Min(readable, stream.SendCredit), _sendChunk);
            Write(MuxFrameWriter.Data(ctx.Allocator, stream.StreamId, buffer, buffer.ReaderIndex, length));
            stream.SendCredit -= length;
            input.RemoveBytes(length);
            wrote = true;
        }

        if (stream.SendCredit <= 0)
        {
            // No credit: the owner should stop producing (the gateway stops reading its client).
            stream.SetCreditWritable(false);
        }

        if (wrote)
        {
            RequestFlush();
        }
    }

    /// <summary>A stream delivered reads; during the connection's read loop its ReadComplete waits for the loop's end.</summary>
    internal void RequestReadComplete(MuxStreamChannel stream)
    {
        if (!_inReadLoop)
        {
            stream.FireReadCompleteIfOwed();
            return;
        }

        if (!stream.InReadCompleteList)
        {
            stream.InReadCompleteList = true;
            _readCompleteList.Add(stream);
        }
    }

    private void Write(IByteBuffer frame) => TaskObserver.ObserveFailure(Ctx.WriteAsync(frame));

    /// <summary>
    /// Flush once at the end of the current read loop, or else from one queued task: never inline.
    /// </summary>
    /// <remarks>
    /// Outside the read loop the caller's stack is unknown, and on a shared event loop it can be
    /// another socket's write completion: the gateway returns credit (ConsumeBytes) when a client
    /// write completed, and DotNetty 0.7.6 runs that continuation inside the client socket's
    /// <c>TcpSocketChannel.DoWrite</c> -> <c>ChannelOutboundBuffer.RemoveBytes</c>, before it clears
    /// the loop thread's shared gathering list. The mux socket flushed there sent the client socket's
    /// segments ahead of its own frames (four relayed client frames before a Window frame; the shard
    /// read "bad frame header: UnknownType"; docs/multiplexing.md). A queued flush runs on a clean
    /// stack, and one flush serves every stream that wrote in the same loop turn.
    /// </remarks>
    private void RequestFlush()
    {
        if (_inReadLoop)
        {
            _flushPending = true;
            return;
        }

        if (_flushScheduled)
        {
            return;
        }

        _flushScheduled = true;
        try
        {
            Ctx.Executor.Execute(static s => ((MuxSession)s).FlushScheduled(), this);
        }
        catch (RejectedExecutionException)
        {
            // The loop is shutting down and the connection with it: nothing left to flush.
            _flushScheduled = false;
        }
    }

    private void FlushScheduled()
    {
        _flushScheduled = false;
        Ctx.Flush();
    }

    private void WaitForParent(MuxStreamChannel stream)
    {
        if (!stream.WaitingForParent)
        {
            stream.WaitingForParent = true;
            _waitingForParent.Enqueue(stream);
        }
    }

    private void ResumeStreamsWaitingForParent()
    {
        _resumeScheduled = false;
        if (_state != MuxSessionState.Established)
        {
            return;
        }

        // Each waiting stream gets one turn in arrival order; a stream that fills the connection
        // again re-queues itself behind the others.
        var count = _waitingForParent.Count;
        for (var i = 0; i < count && Ctx.Channel.IsWritable && _waitingForParent.TryDequeue(out var stream); i++)
        {
            stream.WaitingForParent = false;
            if (stream.Active)
            {
                // Not inline: this can run inside the stream's own flush (its write flushed the parent,
                // which drained at once and fired WritabilityChanged), and DotNetty ignores a nested
                // Flush, which would leave the stream's queue stranded with nobody to resume it.
                stream.EventLoop.Execute(static s => ((MuxStreamChannel)s).Unsafe.Flush(), stream);
            }
        }
    }
}
