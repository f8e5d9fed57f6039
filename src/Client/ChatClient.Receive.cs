using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Events;
using Chat.Client.Ordering;
using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>The read loop: one per connection, the only code that touches the ordering buffer while connected.</summary>
public sealed partial class ChatClient
{
    private readonly List<ChatMessage> _ready = [];

    private async Task<(DisconnectReason Reason, string? Detail)> ReadLoopAsync(LiveConnection live)
    {
        var endpoint = live.Transport.Endpoint;
        while (true)
        {
            // Not cancelled by a token: closing aborts the socket, which ends the read.
            var inbound = await live.Transport.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            switch (inbound.Status)
            {
                case InboundStatus.Closed:
                    return live.EndReason ?? (DisconnectReason.ConnectionLost, inbound.Detail);
                case InboundStatus.BadFrame:
                    ClientLog.BadFrame(_logger, endpoint, inbound.Frame);
                    live.RequestClose(DisconnectReason.ProtocolError, inbound.Detail);
                    return live.EndReason ?? (DisconnectReason.ProtocolError, inbound.Detail);
            }

            live.MarkReceived();
            await HandlePacketAsync(live, inbound.Packet!).ConfigureAwait(false);
        }
    }

    private async ValueTask HandlePacketAsync(LiveConnection live, ClientPacket packet)
    {
        switch (packet.Kind)
        {
            case PacketKind.Message:
                await OnMessageAsync(live, packet.Message!).ConfigureAwait(false);
                break;
            case PacketKind.Ack:
                await OnAckAsync(live, packet.Ack!).ConfigureAwait(false);
                break;
            case PacketKind.SyncResult:
                await OnSyncResultAsync(live, packet.SyncResult!).ConfigureAwait(false);
                break;
            case PacketKind.Typing:
                var typing = packet.Typing!;
                await EmitAsync(ClientEventKind.Typing, new TypingSignal(typing.UserId ?? string.Empty, typing.On), live).ConfigureAwait(false);
                break;
            case PacketKind.Presence:
                var presence = packet.Presence!;
                if (!string.Equals(presence.UserId, _userId, StringComparison.Ordinal))
                {
                    _partnerOnline = presence.Online;
                }

                await EmitAsync(ClientEventKind.Presence, new PresenceSignal(presence.UserId ?? string.Empty, presence.Online, presence.Devices), live).ConfigureAwait(false);
                break;
            case PacketKind.ReadUpTo:
                var mark = packet.ReadUpTo!;
                await EmitAsync(ClientEventKind.ReadMark, new ReadMark(mark.UserId ?? string.Empty, mark.Seq), live).ConfigureAwait(false);
                break;
            case PacketKind.Ping:
                await live.Transport.WriteAsync(new Pong { Nonce = packet.Ping!.Nonce }, live.Ended).ConfigureAwait(false);
                break;
            case PacketKind.Pong:
                // Receiving anything already counts as liveness (MarkReceived).
                break;
            case PacketKind.ResyncHint:
                await OnResyncHintAsync(live, packet.ResyncHint!).ConfigureAwait(false);
                break;
            case PacketKind.GoAway:
                OnGoAway(live, packet.GoAway!);
                break;
            case PacketKind.Error:
                await OnErrorAsync(live, packet.Error!).ConfigureAwait(false);
                break;
            default:
                ClientLog.UnexpectedPacket(_logger, packet.Kind);
                break;
        }
    }

    private async ValueTask OnMessageAsync(LiveConnection live, Message message)
    {
        var chat = ChatMessage.From(message);
        var hadGap = _buffer.HasGap;
        var outcome = _buffer.Offer(chat, _ready);
        await EmitMessagesAsync(_ready, live).ConfigureAwait(false);
        _gapOpen = _buffer.HasGap;
        var newGap = outcome == OfferOutcome.Dropped || (outcome == OfferOutcome.Held && !hadGap);
        if (newGap)
        {
            // The shard delivers live messages in seq order, so a jump means something was missed
            // (a message skipped by the shard, or lost with a moved stream): fetch it now.
            _counters.GapDetected();
            ClientLog.GapDetected(_logger, _buffer.LastSeq, chat.Seq);
            StartCatchUp(live);
        }
    }

    private async ValueTask OnResyncHintAsync(LiveConnection live, ResyncHint hint)
    {
        // The stream moved to another shard (or the shard restarted): messages and Acks may have been
        // lost on the way, so catch up and write every unacknowledged send again (same clientMsgId:
        // the shard stores each once and acknowledges a repeat with the original seq).
        _counters.ResyncHintReceived();
        var rewrite = _sends.ClaimForRewrite(live);
        ClientLog.ResyncHint(_logger, hint.LatestSeq, LastSeq, rewrite.Count);
        StartCatchUp(live);
        if (rewrite.Count > 0)
        {
            _counters.SendRetried(rewrite.Count);
            foreach (var send in rewrite)
            {
                await live.Transport.WriteFrameAsync(send.Frame, live.Ended).ConfigureAwait(false);
            }
        }
    }

    private void OnGoAway(LiveConnection live, GoAway goAway)
    {
        if (!live.TryScheduleGoAway())
        {
            return;
        }

        // Reconnect at a random moment in the first three quarters of the window: spread out like the
        // server intends, yet with time left to connect before it closes us. In-flight sends may still
        // be acknowledged meanwhile; whatever is not is written again on the next connection.
        var window = TimeSpan.FromMilliseconds(Math.Max(0, goAway.ReconnectWithinMs));
        var delay = _jitter.Below(window * 0.75);
        ClientLog.GoAway(_logger, live.Transport.Endpoint, goAway.Reason, (long)delay.TotalMilliseconds, goAway.ReconnectWithinMs);
        live.After(delay, () => live.RequestClose(DisconnectReason.GoAway, "server asked to reconnect elsewhere"));
    }

    private async ValueTask OnErrorAsync(LiveConnection live, Error error)
    {
        if (error.__isset.clientMsgId && _sends.Find(error.ClientMsgId) is { } send)
        {
            OnSendError(send, error);
            return;
        }

        switch (error.Code)
        {
            case ErrorCode.NotOwner:
                live.RequestClose(DisconnectReason.NotOwner, error.Text);
                return;
            case ErrorCode.ShuttingDown:
                live.RequestClose(DisconnectReason.ShuttingDown, error.Text);
                return;
            case ErrorCode.TokenExpired:
                live.RequestClose(DisconnectReason.TokenExpired, error.Text);
                return;
            case ErrorCode.ProtocolError or ErrorCode.FrameTooLarge or ErrorCode.BadCompression or ErrorCode.AuthRequired or ErrorCode.AuthFailed:
                // The server closes after these; say why in the reason rather than "connection lost".
                live.RequestClose(DisconnectReason.ProtocolError, $"{error.Code}: {error.Text}");
                break;
            case ErrorCode.RateLimited or ErrorCode.Unavailable or ErrorCode.Internal or ErrorCode.BadRequest
                when !error.__isset.clientMsgId && TryFailOutstandingSync(live, error):
                return;
        }

        ClientLog.ServerError(_logger, error.Code, error.Text);
        await EmitAsync(ClientEventKind.Error, new ServerError(error.Code, error.Text ?? string.Empty, error.__isset.clientMsgId ? error.ClientMsgId : null), live).ConfigureAwait(false);
    }

    private static TimeSpan RetryAfter(Error error, TimeSpan fallback) =>
        error.__isset.retryAfterMs && error.RetryAfterMs > 0 ? TimeSpan.FromMilliseconds(error.RetryAfterMs) : fallback;
}
