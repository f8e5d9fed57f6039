using System.Collections.Concurrent;
using Chat.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// A stream's pipeline end that records what arrives: bytes, user events, writability, close.
/// With <see cref="Consume"/> true it returns credit after each read (the gateway's explicit mode);
/// false models a client that stopped reading.
/// </summary>
public sealed class RecordingHandler : ChannelHandlerAdapter
{
    private readonly object _lock = new();
    private readonly MemoryStream _received = new();
    private readonly ConcurrentQueue<object> _events = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unwritableCount;

    public bool Consume { get; set; } = true;

    /// <summary>Start with AutoRead off: the stream reads nothing (not even its first bytes) until <see cref="ResumeReading"/>.</summary>
    public bool StartPaused { get; set; }

    public MuxStreamChannel? Channel { get; private set; }

    public Task Closed => _closed.Task;

    public Task Active => _active.Task;

    public int UnwritableCount => Volatile.Read(ref _unwritableCount);

    public long ReceivedCount
    {
        get
        {
            lock (_lock)
            {
                return _received.Length;
            }
        }
    }

    public byte[] Received
    {
        get
        {
            lock (_lock)
            {
                return _received.ToArray();
            }
        }
    }

    public IReadOnlyList<object> Events => [.. _events];

    public T? Event<T>() where T : class => _events.OfType<T>().FirstOrDefault();

    public override void ChannelActive(IChannelHandlerContext context)
    {
        Channel = (MuxStreamChannel)context.Channel;
        if (StartPaused)
        {
            Channel.Configuration.AutoRead = false;
        }

        _active.TrySetResult();
        context.FireChannelActive();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        var buffer = (IByteBuffer)message;
        var length = buffer.ReadableBytes;
        lock (_lock)
        {
            var bytes = new byte[length];
            buffer.ReadBytes(bytes);
            _received.Write(bytes);
        }

        buffer.Release();
        if (Consume)
        {
            ((MuxStreamChannel)context.Channel).ConsumeBytes(length);
        }
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt) => _events.Enqueue(evt);

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (!context.Channel.IsWritable)
        {
            Interlocked.Increment(ref _unwritableCount);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        _closed.TrySetResult();
        context.FireChannelInactive();
    }

    /// <summary>Turns AutoRead back on (from any thread; DotNetty reads on the stream's loop).</summary>
    public void ResumeReading() => Channel!.EventLoop.Execute(() => Channel.Configuration.AutoRead = true);

    public Task WaitForBytesAsync(long count, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => ReceivedCount >= count, $"{count} bytes (have {ReceivedCount})", timeout);

    public Task WaitForEventAsync<T>(TimeSpan? timeout = null) where T : class =>
        Eventually.TrueAsync(() => Event<T>() is not null, $"a {typeof(T).Name}", timeout);
}
