using System.Threading.Tasks.Sources;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Tls;

/// <summary>
/// The inner stream SslStream reads ciphertext from and writes ciphertext to, bridged to a DotNetty
/// channel. Inbound buffers from the socket are queued (not copied) until SslStream asks.
/// </summary>
/// <remarks>
/// A read with nothing queued stays pending until data arrives, including a zero-byte read: that
/// is what lets SslStream return its 32 KiB buffer while a connection is idle (answering 0 at once,
/// as DotNetty's stock TlsHandler does, pins the buffer: FACTS.md "TLS at the edge"). Pending
/// reads complete synchronously from <see cref="Enqueue"/>, so SslStream decrypts and the read
/// loop continues on the event loop that delivered the bytes, without a thread-pool hop (see
/// <see cref="SignalRead"/> for the one trick that takes). SslStream may still call in from a pool
/// thread in rare cases, so queue and pending-read state are guarded by a lock.
/// </remarks>
internal sealed class ChannelMediationStream : Stream, IValueTaskSource<int>
{
    private static readonly Action<object?> SignalReadAction = static s => ((ChannelMediationStream)s!).SignalRead();

    private readonly IChannelHandlerContext _ctx;
    private readonly Queue<IByteBuffer> _queue = new();
    private int _completedCount;
    private ManualResetValueTaskSourceCore<int> _pendingRead;
    private Memory<byte> _pendingBuffer;
    private bool _readPending;
    private bool _eof;
    private int _appWriteDepth;
    private Task? _lastAppWrite;

    public ChannelMediationStream(IChannelHandlerContext ctx)
    {
        _ctx = ctx;
        // Continuations run inside Enqueue, on the event loop (see remarks).
        _pendingRead.RunContinuationsAsynchronously = false;
    }

    /// <summary>Ciphertext bytes received and not yet taken by SslStream.</summary>
    public long QueuedBytes { get; private set; }

    /// <summary>SslStream is waiting for ciphertext.</summary>
    public bool IsReadPending => _readPending;

    /// <summary>
    /// While the handshake runs: complete reads under the default task scheduler so SslStream's
    /// Task-based handshake continues inline (see <see cref="CompletePendingRead"/>). Never while
    /// application handlers may run inside the completion.
    /// </summary>
    public bool InlineHandshake { get; set; }

    /// <summary>Set during the handshake to watch the server's first flight.</summary>
    public ServerHelloInspector? Inspector { get; set; }

    /// <summary>Write task of the last ciphertext written outside an application write (close_notify, handshake).</summary>
    public Task? LastInternalWrite { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Takes ownership of <paramref name="buffer"/>; completes a pending read.</summary>
    public void Enqueue(IByteBuffer buffer)
    {
        lock (_queue)
        {
            if (_eof || !buffer.IsReadable())
            {
                buffer.Release();
                return;
            }

            _queue.Enqueue(buffer);
            QueuedBytes += buffer.ReadableBytes;
            if (!_readPending)
            {
                return;
            }

            _readPending = false;
            _completedCount = _pendingBuffer.IsEmpty ? 0 : CopyTo(_pendingBuffer.Span);
            _pendingBuffer = default;
        }

        CompletePendingRead();
    }

    /// <summary>The channel is gone: release what is queued; pending and later reads see end of stream.</summary>
    public void Complete()
    {
        lock (_queue)
        {
            if (_eof)
            {
                return;
            }

            _eof = true;
            while (_queue.TryDequeue(out IByteBuffer? buffer))
            {
                buffer.Release();
            }

            QueuedBytes = 0;
            if (!_readPending)
            {
                return;
            }

            _readPending = false;
            _pendingBuffer = default;
            _completedCount = 0;
        }

        CompletePendingRead();
    }

    /// <summary>Brackets an application write: its ciphertext is flushed by the application's Flush.</summary>
    public void BeginAppWrite() => _appWriteDepth++;

    /// <summary>Ends the bracket; returns the write task of the last record written in it, if any.</summary>
    public Task? EndAppWrite()
    {
        _appWriteDepth--;
        Task? last = _lastAppWrite;
        _lastAppWrite = null;
        return last;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The token is not used: SslStream is only given CancellationToken.None by the handler, which
        // ends reads by completing this stream instead.
        lock (_queue)
        {
            if (QueuedBytes > 0)
            {
                return new ValueTask<int>(buffer.IsEmpty ? 0 : CopyTo(buffer.Span));
            }

            if (_eof)
            {
                return new ValueTask<int>(0);
            }

            if (_readPending)
            {
                throw new InvalidOperationException("SslStream issued overlapping reads on the mediation stream.");
            }

            _pendingRead.Reset();
            _pendingBuffer = buffer;
            _readPending = true;
        }

        // SslStream only reads when the handshake needs bytes or the handler has demand for
        // plaintext, so asking the socket for more here is what back-pressure wants (with AutoRead
        // off it is the one read the channel will do; with it on, DotNetty ignores the repeat).
        _ctx.Read();
        return new ValueTask<int>(this, _pendingRead.Version);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        Inspector?.Observe(buffer);

        // SslStream reuses its buffer once this returns: copy into a pooled buffer the transport
        // releases after the socket write.
        IByteBuffer output = _ctx.Allocator.Buffer(buffer.Length);
        ArraySegment<byte> target = output.GetIoBuffer(output.WriterIndex, buffer.Length);
        buffer.CopyTo(target.AsSpan());
        output.SetWriterIndex(output.WriterIndex + buffer.Length);
        Task write = _ctx.WriteAsync(output);
        if (_appWriteDepth > 0)
        {
            if (_lastAppWrite is not null)
            {
                TaskObservation.Observe(_lastAppWrite);
            }

            _lastAppWrite = write;
            return;
        }

        // Handshake flights, alerts, tickets, close_notify: nobody else will flush them.
        TaskObservation.Observe(write);
        LastInternalWrite = write;
        _ctx.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("SslStream is driven asynchronously only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Completes the pending read; SslStream's continuations run inline. After the handshake its read
    /// path awaits only pooled value-task sources, which run continuations directly. The handshake
    /// (an async Task method) is different: on a DotNetty event loop TaskScheduler.Current is
    /// DotNetty's ExecutorTaskScheduler, and .NET refuses to inline Task continuations under a
    /// non-default scheduler (even ConfigureAwait(false) ones), so the handshake would continue on
    /// the thread pool. While <see cref="InlineHandshake"/> is set, the completion runs inside a task
    /// executed synchronously on the default scheduler, which makes inlining legal. It is not used
    /// once application handlers can run inside the completion: they expect DotNetty's scheduler
    /// to be current (their awaits resume on the event loop).
    /// </summary>
    private void CompletePendingRead()
    {
        if (!InlineHandshake || TaskScheduler.Current == TaskScheduler.Default)
        {
            SignalRead();
            return;
        }

        var inline = new Task(SignalReadAction, this);
        inline.RunSynchronously(TaskScheduler.Default);
        if (inline.Exception is { } failure)
        {
            // Continuations catch their own failures; reaching here is a bug: let the pipeline see it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure.InnerException!);
        }
    }

    private void SignalRead() => _pendingRead.SetResult(_completedCount);

    private int CopyTo(Span<byte> destination)
    {
        int copied = 0;
        while (copied < destination.Length && _queue.TryPeek(out IByteBuffer? head))
        {
            int n = Math.Min(head.ReadableBytes, destination.Length - copied);
            head.GetIoBuffer(head.ReaderIndex, n).AsSpan().CopyTo(destination[copied..]);
            head.SetReaderIndex(head.ReaderIndex + n);
            copied += n;
            if (!head.IsReadable())
            {
                _queue.Dequeue();
                head.Release();
            }
        }

        QueuedBytes -= copied;
        return copied;
    }

    int IValueTaskSource<int>.GetResult(short token) => _pendingRead.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pendingRead.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pendingRead.OnCompleted(continuation, state, token, flags);
}
