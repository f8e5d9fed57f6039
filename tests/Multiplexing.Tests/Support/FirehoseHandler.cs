using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// Sends <c>total</c> bytes (a repeating pattern) as soon as the stream is active. With
/// <c>respectWritability</c> it writes only while the stream is writable, as a well-behaved shard
/// does; without, it queues everything at once, as a careless producer would.
/// </summary>
public sealed class FirehoseHandler(long total, int chunk, bool respectWritability, int seed = 0) : ChannelHandlerAdapter
{
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public static byte PatternAt(long offset, int seed = 0) => (byte)((offset * 31 + seed * 7) % 251);

    public override void ChannelActive(IChannelHandlerContext context)
    {
        Pump(context);
        context.FireChannelActive();
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        Pump(context);
        context.FireChannelWritabilityChanged();
    }

    private void Pump(IChannelHandlerContext context)
    {
        var wrote = false;
        while (Sent < total && context.Channel.Active && (!respectWritability || context.Channel.IsWritable))
        {
            var size = (int)Math.Min(chunk, total - Sent);
            var bytes = new byte[size];
            for (var i = 0; i < size; i++)
            {
                bytes[i] = PatternAt(Sent + i, seed);
            }

            // One write per chunk: the paranoid leak detector records every buffer access.
            var buffer = context.Allocator.Buffer(size);
            buffer.WriteBytes(bytes);

            Interlocked.Add(ref _sent, size);
            WriteTasks.Observe(context.WriteAsync(buffer));
            wrote = true;
        }

        if (wrote)
        {
            context.Flush();
        }
    }
}
