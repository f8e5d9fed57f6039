using Chat.Protocol.Framing;
using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Relay;

/// <summary>
/// The client pipeline's last handler after authentication: slices the client's bytes into whole
/// frames (length prefixes only) and hands them to the session; a broken frame closes this client.
/// </summary>
internal sealed class UpstreamRelayHandler(ClientSession session, int maxFrame) : ChannelHandlerAdapter
{
    private readonly FrameSlicer _slicer = new(maxFrame);
    private bool _failed;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not IByteBuffer buffer || _failed)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        var status = _slicer.Append(buffer, out var frames);
        if (status != FrameStatus.Ok)
        {
            _failed = true;
            context.Channel.Configuration.AutoRead = false;
            session.OnClientFrameError(status);
            return;
        }

        if (frames is not null)
        {
            session.OnClientFrames(frames);
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context) => session.OnClientReadComplete();

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        session.OnClientClosed();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => _slicer.Dispose();

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => _ = context.Channel.CloseAsync();
}
