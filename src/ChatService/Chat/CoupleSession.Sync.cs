using Chat.ChatService.Storage;
using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>Sync: a page of stored messages after a seq, sized to fit one frame.</summary>
internal sealed partial class CoupleSession
{
    // Thrift overhead per Message in a SyncResult (field headers, varints), generously rounded up.
    private const int MessageOverhead = 48;

    private void HandleSync(DeviceLink device, Sync sync)
    {
        if (sync.AfterSeq < 0 || sync.Limit < 1)
        {
            SendError(device, ErrorCode.BadRequest, "Sync needs afterSeq >= 0 and limit >= 1");
            return;
        }

        var limit = Math.Min(sync.Limit, _services.Limits.MaxSyncLimit);
        _pendingStoreCalls++;
        StoreCall.Run(this, _services.Store.ReadAsync(CoupleId, sync.AfterSeq, limit), MessagePage.Of(StoreStatus.Failed), device,
            static (session, page, device) => session.CompleteSync(device, page));
    }

    private void CompleteSync(DeviceLink device, MessagePage page)
    {
        _pendingStoreCalls--;
        if (page.Status != StoreStatus.Ok)
        {
            SendError(device, page.Status == StoreStatus.Unavailable ? ErrorCode.Unavailable : ErrorCode.Internal, "sync failed: retry", retryAfterMs: 1000);
            RetireIfIdle();
            return;
        }

        // The store bounds a page by count and bytes, but one frame holds less than its byte budget:
        // cut the page where the frame would overflow and let the client ask again (more = true).
        var budget = _services.Limits.MaxDecompressedLength - 1024;
        var messages = new List<Message>(page.Messages.Count);
        var more = page.More;
        var used = 0;
        foreach (var stored in page.Messages)
        {
            var size = stored.Body.Length + stored.ClientMsgId.Length + stored.SenderUserId.Length + MessageOverhead;
            if (messages.Count > 0 && used + size > budget)
            {
                more = true;
                break;
            }

            used += size;
            messages.Add(new Message
            {
                Seq = stored.Seq,
                SenderId = stored.SenderUserId,
                Kind = (MessageKind)stored.Kind,
                Body = stored.Body.ToArray(),
                ServerTime = stored.ServerTimeMs,
                ClientMsgId = stored.ClientMsgId,
            });
        }

        _latestSeq = Math.Max(_latestSeq, page.LatestSeq);
        device.Deliver(new SyncResult { Messages = messages, More = more, LatestSeq = page.LatestSeq }, used + 16);
        RetireIfIdle();
    }
}
