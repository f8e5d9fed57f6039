using Chat.ChatService.Storage;
using Chat.Cluster.Routing;
using Chat.ChatService.Diagnostics;
using Chat.Protocol.Packets;
using DotNetty.Common.Concurrency;

namespace Chat.ChatService.Chat;

/// <summary>
/// Everything the shard keeps in memory for one couple: its connected devices, delivery order,
/// typing state and read marks. All of it runs on one event loop (chosen by a stable hash of the
/// couple id), so none of it is locked; other threads hand work over with <see cref="Execute"/>.
/// Store calls start on the loop and their continuations come back to it.
/// </summary>
/// <remarks>
/// <code>
///  connection loop             couple loop                         Redis
///   Auth ok ── Attach ───────> LatestSeq ──────────────────────────> (read)
///                              &lt;─ hop ─ AuthOk, Presence, ResyncHint
///   Send ───── Post ─────────> validate, rate limit, Append ───────> (Lua: dedup, INCR, XADD)
///                              &lt;─ hop ─ Ack to sender, Message to other devices in seq order
/// </code>
/// </remarks>
internal sealed partial class CoupleSession
{
    private readonly IEventExecutor _loop;
    private readonly ChatServices _services;
    private readonly Action<CoupleSession> _retire;
    private readonly List<DeviceLink> _devices = [];
    private readonly DeliveryOrder _delivery = new();
    private readonly List<PendingDelivery> _ready = [];
    private long _latestSeq;
    private int _pendingStoreCalls;
    private bool _retired;

    public CoupleSession(string coupleId, IEventExecutor loop, ChatServices services, Action<CoupleSession> retire)
    {
        CoupleId = coupleId;
        _loop = loop;
        _services = services;
        _retire = retire;
    }

    public string CoupleId { get; }

    /// <summary>The loop all of this couple's state runs on.</summary>
    public IEventExecutor Loop => _loop;

    public Microsoft.Extensions.Logging.ILogger Logger => _services.Logger;

    /// <summary>Connected devices; couple loop only.</summary>
    public int DeviceCount => _devices.Count;

    /// <summary>Queues <paramref name="task"/> on the couple's loop (never inline, even from the loop: order matters).</summary>
    public void Execute(IRunnable task)
    {
        try
        {
            _loop.Execute(task);
        }
        catch (RejectedExecutionException)
        {
            // The loop is shutting down with the process: the work is moot.
        }
    }

    /// <summary>Runs <paramref name="action"/> on the couple's loop.</summary>
    public void Execute(Action action)
    {
        try
        {
            _loop.Execute(action);
        }
        catch (RejectedExecutionException)
        {
            // The loop is shutting down with the process: the work is moot.
        }
    }

    /// <summary>Adds a device (couple loop). Reads the latest seq first, so AuthOk carries it.</summary>
    public void Attach(AttachRequest request)
    {
        if (_retired)
        {
            request.Observer.Retry();
            return;
        }

        var decision = _services.Ownership.Check(CoupleId);
        if (!decision.Owned)
        {
            request.Observer.Refused(EndReason.NotOwner, NotOwnerError(decision.Epoch), decision.Epoch);
            return;
        }

        _pendingStoreCalls++;
        StoreCall.Run(this, _services.Store.LatestSeqAsync(CoupleId), SeqResult.Of(StoreStatus.Failed), request, static (session, result, request) => session.CompleteAttach(request, result));
    }

    /// <summary>Removes a device whose connection closed (couple loop).</summary>
    public void Detach(DeviceLink device)
    {
        if (device.Detached)
        {
            return;
        }

        device.Detached = true;
        _devices.Remove(device);
        OnDeviceLeft(device);
        RetireIfIdle();
    }

    /// <summary>One packet a device sent after Auth (couple loop).</summary>
    public void Handle(DeviceLink device, ClientPacket packet)
    {
        if (!device.Rate.TryTake(out var retryAfter))
        {
            var clientMsgId = packet.Kind == PacketKind.Send ? packet.Send!.ClientMsgId : null;
            SendError(device, ErrorCode.RateLimited, "rate limit", clientMsgId, (int)Math.Ceiling(retryAfter.TotalMilliseconds));
            return;
        }

        switch (packet.Kind)
        {
            case PacketKind.Send:
                HandleSend(device, packet.Send!);
                break;
            case PacketKind.Typing:
                HandleTyping(device, packet.Typing!.On);
                break;
            case PacketKind.ReadUpTo:
                HandleReadUpTo(device, packet.ReadUpTo!.Seq);
                break;
            case PacketKind.Sync:
                HandleSync(device, packet.Sync!);
                break;
            default:
                SendError(device, ErrorCode.BadRequest, $"a client does not send {packet.Kind}");
                break;
        }
    }

    /// <summary>
    /// The ring changed (couple loop): if this shard no longer owns the couple, every device is
    /// moved away (streams reset with Moved, direct connections get NotOwner and close).
    /// </summary>
    public void EnforceOwnership(RingSnapshot ring)
    {
        if (_retired)
        {
            return;
        }

        var decision = _services.Ownership.Decide(ring, CoupleId);
        if (decision.Owned)
        {
            return;
        }

        if (_devices.Count > 0)
        {
            ShardLog.CoupleMoved(_services.Logger, CoupleId, decision.Owner ?? "(none)", ring.Epoch, _devices.Count);
        }

        foreach (var device in _devices.ToArray())
        {
            device.Detached = true;
            _devices.Remove(device);
            _services.Metrics.Ended("moved");
            device.Connection.End(EndReason.Moved, NotOwnerError(ring.Epoch), ring.Epoch);
        }

        ClearSignals();
        _delivery.Clear();
        RetireIfIdle();
    }

    /// <summary>A device's backlog passed the bound (couple loop or its connection's loop).</summary>
    public void OnSlowConsumer(DeviceLink device)
    {
        _services.Metrics.Ended("slow-consumer");
        ShardLog.SlowConsumer(_services.Logger, CoupleId, device.DeviceId, device.Connection.Name);
        device.Connection.End(EndReason.SlowConsumer, new Error { Code = ErrorCode.Internal, Text = "too slow: reconnect and Sync" });
    }

    private static Error NotOwnerError(long epoch) => new() { Code = ErrorCode.NotOwner, Text = $"couple not owned by this shard at ring epoch {epoch}" };

    private void CompleteAttach(AttachRequest request, SeqResult latest)
    {
        _pendingStoreCalls--;
        if (latest.Status != StoreStatus.Ok)
        {
            request.Observer.Refused(EndReason.Unavailable, new Error { Code = ErrorCode.Unavailable, Text = "storage unavailable", RetryAfterMs = 1000 }, 0);
            RetireIfIdle();
            return;
        }

        // The ring may have moved while the store answered; devices already here were moved then.
        var decision = _services.Ownership.Check(CoupleId);
        if (!decision.Owned || _retired)
        {
            request.Observer.Refused(EndReason.NotOwner, NotOwnerError(decision.Epoch), decision.Epoch);
            RetireIfIdle();
            return;
        }

        _latestSeq = Math.Max(_latestSeq, latest.Seq);
        _delivery.Observe(_latestSeq);
        var limits = _services.Limits;
        var device = new DeviceLink(this, request.UserId, request.DeviceId, request.Connection,
            new TokenBucket(limits.RatePerSecond, limits.RateBurst, _services.Time), limits.MaxDeviceInbound, limits.MaxDeviceBacklogBytes);
        _devices.Add(device);
        request.Observer.Attached(device);

        device.Deliver(new AuthOk
        {
            UserId = request.UserId,
            CoupleId = CoupleId,
            PartnerOnline = PartnerDeviceCount(request.UserId) > 0,
            LatestSeq = _latestSeq,
            ServerTime = _services.NowMs,
        }, 64);
        if (request.Migrated)
        {
            device.Deliver(new ResyncHint { LatestSeq = _latestSeq }, 16);
        }

        OnDeviceJoined(device);
    }

    private void SendError(DeviceLink device, ErrorCode code, string text, string? clientMsgId = null, int? retryAfterMs = null)
    {
        var error = new Error { Code = code, Text = text };
        if (clientMsgId is not null)
        {
            error.ClientMsgId = clientMsgId;
        }

        if (retryAfterMs is { } retry)
        {
            error.RetryAfterMs = retry;
        }

        _services.Metrics.ErrorSent(ErrorNames.Of(code));
        device.Deliver(error, 64 + text.Length);
    }

    private int PartnerDeviceCount(string userId)
    {
        var count = 0;
        foreach (var device in _devices)
        {
            if (!string.Equals(device.UserId, userId, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private int UserDeviceCount(string userId)
    {
        var count = 0;
        foreach (var device in _devices)
        {
            if (string.Equals(device.UserId, userId, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private void RetireIfIdle()
    {
        if (_retired || _devices.Count > 0 || _pendingStoreCalls > 0)
        {
            return;
        }

        ClearSignals();
        _delivery.Clear();
        _retired = true;
        _retire(this);
    }
}
