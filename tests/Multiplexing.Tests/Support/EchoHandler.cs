using DotNetty.Transport.Channels;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>Writes every read back on the same stream (the shard side of the echo tests).</summary>
public sealed class EchoHandler : ChannelHandlerAdapter
{
    public override bool IsSharable => true;

    public override void ChannelRead(IChannelHandlerContext context, object message) => WriteTasks.Observe(context.WriteAsync(message));

    public override void ChannelReadComplete(IChannelHandlerContext context) => context.Flush();
}
