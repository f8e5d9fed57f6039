using Chat.ChatService.Storage;
using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>Send: validation, the store's atomic append, Ack, and delivery in seq order.</summary>
internal sealed partial class CoupleSession
{
    /// <summary>Longest clientMsgId accepted (the protocol's id limit; the store would take 128).</summary>
    public const int MaxClientMsgIdLength = 64;

    private ITimer? _gapTimer;
    private long _gapTimerGeneration;

    private void HandleSend(DeviceLink device, Send send)
    {
        if (SendValidation.Check(send, _services.Limits.MaxBodyBytes) is { } problem)
        {
            SendError(device, ErrorCode.BadRequest, problem, RedisKeys.IsValidId(send.ClientMsgId) ? send.ClientMsgId : null);
            return;
        }

        _pendingStoreCalls++;
        var now = _services.NowMs;
        var pending = _services.Store.AppendAsync(CoupleId, send.ClientMsgId!, device.UserId, device.DeviceId, (int)send.Kind, send.Body, now);
        StoreCall.Run(this, pending, AppendResult.Of(AppendStatus.Failed), new SendContext(device, send), static (session, result, context) => session.CompleteSend(context, result));
    }

    private void CompleteSend(SendContext context, AppendResult result)
    {
        _pendingStoreCalls--;
        var device = context.Device;
        var send = context.Send;
        var clientMsgId = send.ClientMsgId!;
        switch (result.Status)
        {
            case AppendStatus.Appended:
                _services.Metrics.MessageStored();
                _latestSeq = Math.Max(_latestSeq, result.Seq);
                device.Deliver(new Ack { ClientMsgId = send.ClientMsgId, Seq = result.Seq, ServerTime = result.ServerTimeMs }, 32 + clientMsgId.Length);
                var message = new Message
                {
                    Seq = result.Seq,
                    SenderId = device.UserId,
                    Kind = send.Kind,
                    Body = send.Body,
                    ServerTime = result.ServerTimeMs,
                    ClientMsgId = send.ClientMsgId,
                };
                Deliver(result.Seq, new PendingDelivery(message, device));
                break;
            case AppendStatus.Duplicate:
                // A retry: the original is stored (and was, or will be, delivered by its own send).
                _services.Metrics.DuplicateSend();
                device.Deliver(new Ack { ClientMsgId = send.ClientMsgId, Seq = result.Seq, ServerTime = result.ServerTimeMs }, 32 + clientMsgId.Length);
                break;
            case AppendStatus.Invalid:
                SendError(device, ErrorCode.BadRequest, "the store refused the message's ids or size", send.ClientMsgId);
                break;
            case AppendStatus.Unavailable:
                SendError(device, ErrorCode.Unavailable, "storage unavailable: retry with the same clientMsgId", send.ClientMsgId, 1000);
                break;
            default:
                SendError(device, ErrorCode.Internal, "storage failed: retry with the same clientMsgId", send.ClientMsgId, 1000);
                break;
        }

        RetireIfIdle();
    }

    private void Deliver(long seq, PendingDelivery delivery)
    {
        _ready.Clear();
        _delivery.Add(seq, delivery, _ready);
        Flush();
        if (_delivery.HasGap)
        {
            ArmGapTimer();
        }
    }

    private void Flush()
    {
        foreach (var ready in _ready)
        {
            var message = ready.Message;
            var size = message.Body!.Length + message.ClientMsgId!.Length + message.SenderId!.Length + 32;
            foreach (var device in _devices.ToArray())
            {
                if (!ReferenceEquals(device, ready.Sender))
                {
                    device.Deliver(message, size);
                }
            }
        }

        _ready.Clear();
    }

    private void ArmGapTimer()
    {
        if (_gapTimer is not null)
        {
            return;
        }

        var generation = ++_gapTimerGeneration;
        _gapTimer = _services.Time.CreateTimer(
            static state =>
            {
                var (session, generation) = ((CoupleSession, long))state!;
                session.Execute(() => session.OnGapTimeout(generation));
            },
            (this, generation),
            _services.Limits.DeliveryGapTimeout,
            Timeout.InfiniteTimeSpan);
    }

    private void OnGapTimeout(long generation)
    {
        if (generation != _gapTimerGeneration || _gapTimer is null)
        {
            return;
        }

        _gapTimer.Dispose();
        _gapTimer = null;
        if (!_delivery.HasGap)
        {
            return;
        }

        Diagnostics.ShardLog.DeliveryGapSkipped(_services.Logger, CoupleId, _delivery.Next, _delivery.Waiting);
        _ready.Clear();
        _delivery.SkipGap(_ready);
        Flush();
        if (_delivery.HasGap)
        {
            ArmGapTimer();
        }
    }

    private void CancelGapTimer()
    {
        _gapTimerGeneration++;
        _gapTimer?.Dispose();
        _gapTimer = null;
    }

    private readonly record struct SendContext(DeviceLink Device, Send Send);
}
