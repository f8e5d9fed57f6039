using System.Buffers;
using Chat.Gateway.Diagnostics;
using Chat.Gateway.Edge;
using Chat.Gateway.Relay;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using Chat.Protocol.Security;
using DotNetty.Buffers;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Routing;

/// <summary>
/// The client pipeline's handler until authentication: the first frame must be Auth, within
/// <c>Limits:AuthTimeout</c> of the accept; its token is verified (signature, expiry) before any
/// shard sees it. Then this handler replaces itself with the relay and hands the session the raw
/// Auth frame, which is the only frame the gateway ever decodes.
/// </summary>
/// <remarks>
/// Failures are answered with an Error packet, then the connection closes: no Auth in time or
/// another packet first (AuthRequired), a bad token (AuthFailed / TokenExpired), a broken or
/// oversized frame (ProtocolError / FrameTooLarge). Bytes held here are bounded by one frame.
/// </remarks>
internal sealed class AuthRouter(RelayContext context, TokenVerifier verifier, PacketCodec codec) : ChannelHandlerAdapter
{
    private IByteBuffer? _cumulation;
    private IScheduledTask? _deadline;
    private bool _done;

    public override void HandlerAdded(IChannelHandlerContext ctx)
    {
        if (ctx.Channel.Active)
        {
            StartDeadline(ctx);
        }
    }

    public override void ChannelActive(IChannelHandlerContext ctx)
    {
        StartDeadline(ctx);
        ctx.FireChannelActive();
    }

    public override void ChannelRead(IChannelHandlerContext ctx, object message)
    {
        if (message is not IByteBuffer input || _done)
        {
            ReferenceCountUtil.Release(message);
            return;
        }

        if (_cumulation is null)
        {
            _cumulation = input;
        }
        else
        {
            var merged = ctx.Allocator.Buffer(_cumulation.ReadableBytes + input.ReadableBytes);
            merged.WriteBytes(_cumulation).WriteBytes(input);
            _cumulation.Release();
            input.Release();
            _cumulation = merged;
        }

        TryAuthenticate(ctx);
    }

    public override void ChannelInactive(IChannelHandlerContext ctx)
    {
        Finish();
        ctx.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext ctx)
    {
        _deadline?.Cancel();
        _deadline = null;
    }

    public override void ExceptionCaught(IChannelHandlerContext ctx, Exception exception)
    {
        GatewayLog.ConnectionFailed(context.Logger, ctx.Channel.Id.AsShortText(), exception.Message);
        Finish();
        _ = ctx.CloseAsync();
    }

    private void StartDeadline(IChannelHandlerContext ctx)
    {
        if (_deadline is not null || _done)
        {
            return;
        }

        _deadline = ctx.Executor.Schedule(
            static (c, s) => ((AuthRouter)s).OnDeadline((IChannelHandlerContext)c),
            ctx,
            this,
            context.Limits.AuthTimeout);
    }

    private void OnDeadline(IChannelHandlerContext ctx)
    {
        if (!_done)
        {
            Reject(ctx, ErrorCode.AuthRequired, "auth-timeout", $"no Auth within {context.Limits.AuthTimeout.TotalSeconds:0.#} s");
        }
    }

    private void TryAuthenticate(IChannelHandlerContext ctx)
    {
        var buffer = _cumulation!;
        if (buffer.ReadableBytes < FrameCodec.LengthPrefixSize)
        {
            return;
        }

        var length = buffer.GetUnsignedInt(buffer.ReaderIndex);
        if (length == 0 || length > (uint)context.Limits.MaxFrame)
        {
            var status = length == 0 ? FrameStatus.EmptyFrame : FrameStatus.TooLarge;
            Reject(ctx, status.ToErrorCode(), "bad-frame", $"bad first frame: {status}");
            return;
        }

        var frameLength = FrameCodec.LengthPrefixSize + (int)length;
        if (buffer.ReadableBytes < frameLength)
        {
            return;
        }

        var authFrame = new byte[frameLength];
        buffer.ReadBytes(authFrame);
        var sequence = new ReadOnlySequence<byte>(authFrame);
        var read = codec.TryRead(ref sequence, out var packet);
        if (read != FrameStatus.Ok || packet?.Auth is not { } auth)
        {
            var (code, reason) = read == FrameStatus.Ok || read == FrameStatus.UnknownPacket
                ? (ErrorCode.AuthRequired, "not-auth")
                : (read.ToErrorCode(), "bad-frame");
            Reject(ctx, code, reason, read == FrameStatus.Ok ? $"the first packet must be Auth, not {packet?.Kind}" : $"bad first frame: {read}");
            return;
        }

        var verification = verifier.Verify(auth.Token);
        if (!verification.IsValid)
        {
            var expired = verification.Failure == TokenFailure.Expired;
            Reject(ctx, expired ? ErrorCode.TokenExpired : ErrorCode.AuthFailed, "token-" + verification.Failure.ToString().ToLowerInvariant(),
                expired ? "token expired" : "token rejected");
            return;
        }

        var claims = verification.Claims!;
        var channel = ctx.Channel;
        GatewayLog.Authenticated(context.Logger, channel.Id.AsShortText(), claims.UserId, claims.CoupleId);
        var session = new ClientSession(context, channel, claims, authFrame);
        context.Registry.SetSession(channel, session);
        _done = true;
        _deadline?.Cancel();
        _deadline = null;

        var rest = buffer.IsReadable() ? buffer : null;
        if (rest is null)
        {
            buffer.Release();
        }

        _cumulation = null;
        ctx.Channel.Pipeline.Replace(this, "relay-up", new UpstreamRelayHandler(session, context.Limits.MaxFrame));
        session.Start();
        if (rest is not null)
        {
            // After Replace this context forwards to the relay handler.
            ctx.FireChannelRead(rest);
            ctx.FireChannelReadComplete();
        }
    }

    private void Reject(IChannelHandlerContext ctx, ErrorCode code, string reason, string text)
    {
        GatewayLog.AuthRejected(context.Logger, ctx.Channel.Id.AsShortText(), text);
        context.Metrics.AuthFailed(reason);
        Finish();
        ctx.Channel.Configuration.AutoRead = false;
        GatewayPackets.WriteAndClose(ctx.Channel, GatewayPackets.Error(code, text));
    }

    private void Finish()
    {
        _done = true;
        _deadline?.Cancel();
        _deadline = null;
        _cumulation?.Release();
        _cumulation = null;
    }
}
