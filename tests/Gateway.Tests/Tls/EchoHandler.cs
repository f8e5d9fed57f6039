using System.Collections.Concurrent;
using Chat.Gateway.Tls;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Echoes plaintext back, as a well-behaved application handler behind the TLS handler: it stops
/// reading while the channel is not writable (so a client that does not read stalls the server
/// rather than filling its memory) and observes every write task.
/// </summary>
public sealed class EchoHandler(ConcurrentQueue<TlsHandshakeCompletedEvent> handshakes) : ChannelHandlerAdapter
{
    private static readonly Action<Task> Observe = static t => _ = t.Exception;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        var buffer = (IByteBuffer)message;
        context.WriteAsync(buffer).ContinueWith(Observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (!context.Channel.IsWritable)
        {
            // Flush first: it may make the channel writable again at once, and then the
            // writability event has already passed and would not turn reading back on.
            context.Flush();
            if (!context.Channel.IsWritable)
            {
                context.Channel.Configuration.AutoRead = false;
            }
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) => context.Flush();

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        context.Channel.Configuration.AutoRead = context.Channel.IsWritable;
        context.FireChannelWritabilityChanged();
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is TlsHandshakeCompletedEvent completed)
        {
            handshakes.Enqueue(completed);
        }

        context.FireUserEventTriggered(evt);
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) =>
        context.CloseAsync().ContinueWith(Observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
