using System.Collections.Concurrent;
using Chat.Protocol.Packets;
using DotNetty.Common.Concurrency;

namespace Chat.ChatService.Chat;

/// <summary>
/// One authenticated device of a couple: its connection, its rate limit, the packets it sent that
/// wait for the couple's event loop, and the bytes queued for it while it does not read.
/// </summary>
/// <remarks>
/// Threads: <see cref="Post"/> is called on the connection's event loop; everything else of the
/// chat state runs on the couple's loop (<see cref="IRunnable.Run"/> drains the inbound queue there,
/// one task per burst rather than one per packet). The backlog counter is shared by both loops.
/// </remarks>
internal sealed class DeviceLink : IRunnable
{
    private readonly ConcurrentQueue<ClientPacket> _inbound = new();
    private readonly int _maxInbound;
    private readonly long _maxBacklog;
    private int _inboundCount;
    private int _scheduled;
    private int _readingPaused;
    private long _backlog;

    public DeviceLink(CoupleSession session, string userId, string deviceId, IClientConnection connection, TokenBucket rate, int maxInbound, long maxBacklog)
    {
        Session = session;
        UserId = userId;
        DeviceId = deviceId;
        Connection = connection;
        Rate = rate;
        _maxInbound = maxInbound;
        _maxBacklog = maxBacklog;
    }

    public CoupleSession Session { get; }

    public string UserId { get; }

    public string DeviceId { get; }

    public IClientConnection Connection { get; }

    /// <summary>Packets per second allowed; couple loop only.</summary>
    public TokenBucket Rate { get; }

    /// <summary>Set on the couple loop when the device left the session (closed, moved or evicted); later packets are dropped.</summary>
    public bool Detached { get; set; }

    /// <summary>Hands a packet to the couple's loop (called on the connection's loop). Stops reading the socket when too many wait.</summary>
    public void Post(ClientPacket packet)
    {
        _inbound.Enqueue(packet);
        if (Interlocked.Increment(ref _inboundCount) >= _maxInbound && Interlocked.Exchange(ref _readingPaused, 1) == 0)
        {
            Connection.SetReading(false);
        }

        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            Session.Execute(this);
        }
    }

    /// <summary>Sends a packet produced by the chat logic, giving up on the device if it has stopped reading for too long.</summary>
    public void Deliver(ClientPacket packet, int sizeEstimate)
    {
        if (_maxBacklog > 0 && !Connection.IsWritable)
        {
            // Bytes written while the peer does not read pile up in the outbound buffer (or the
            // stream's queue): count them until writability comes back, and cut the device off at the bound.
            if (Interlocked.Add(ref _backlog, sizeEstimate) > _maxBacklog)
            {
                Session.OnSlowConsumer(this);
                return;
            }
        }

        Connection.Send(packet);
    }

    /// <summary>The connection became writable again (connection loop): what was queued has drained.</summary>
    public void OnWritable() => Interlocked.Exchange(ref _backlog, 0);

    void IRunnable.Run()
    {
        Volatile.Write(ref _scheduled, 0);
        var handled = 0;
        while (_inbound.TryDequeue(out var packet))
        {
            handled++;
            if (!Detached)
            {
                Session.Handle(this, packet);
            }
        }

        if (Interlocked.Add(ref _inboundCount, -handled) < Math.Max(1, _maxInbound / 2) && Interlocked.Exchange(ref _readingPaused, 0) == 1)
        {
            Connection.SetReading(true);
        }
    }
}
