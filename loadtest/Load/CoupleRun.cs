using System.Diagnostics;
using Chat.Client;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Reports;
using Chat.Protocol.Packets;

namespace Chat.LoadTest.Load;

/// <summary>One couple under load: its devices (both users) and the sends the shard acknowledged.</summary>
internal sealed class CoupleRun(string coupleId, IReadOnlyList<Device> devices, WorkerCounters counters, int messageBytes)
{
    private readonly List<AckedMessage> _acked = [];
    private readonly Lock _lock = new();
    private int _turn;

    public string CoupleId { get; } = coupleId;

    public IReadOnlyList<Device> Devices { get; } = devices;

    public long HighestAcked
    {
        get
        {
            lock (_lock)
            {
                return _acked.Count == 0 ? 0 : _acked.Max(a => a.Seq);
            }
        }
    }

    public IReadOnlyList<AckedMessage> Acked
    {
        get
        {
            lock (_lock)
            {
                return [.. _acked];
            }
        }
    }

    /// <summary>Sends one message from the next device in turn; the returned task never throws.</summary>
    public async Task SendOneAsync(CancellationToken cancellationToken)
    {
        var device = Devices[Interlocked.Increment(ref _turn) % Devices.Count];
        var started = Stopwatch.GetTimestamp();
        counters.SendStarted();
        var acked = false;
        try
        {
            var result = await device.Client.SendAsync(MessageKind.Text, MessageBody.Create(messageBytes, started), null, cancellationToken);
            if (result.Status == SendStatus.Sent)
            {
                acked = true;
                Histograms.Record(counters.AckLatency, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                lock (_lock)
                {
                    _acked.Add(new AckedMessage(result.ClientMsgId, result.Seq));
                }
            }
            else
            {
                counters.Errors.Add("send:" + result.Status);
            }
        }
        catch (OperationCanceledException)
        {
            counters.Errors.Add("send:Cancelled");
        }
        catch (ObjectDisposedException)
        {
            counters.Errors.Add("send:Disposed");
        }
        finally
        {
            counters.SendEnded(acked);
        }
    }

    /// <summary>True when every device delivered up to the highest acknowledged seq.</summary>
    public bool CaughtUp()
    {
        var highest = HighestAcked;
        return Devices.All(d => d.Client.LastSeq >= highest);
    }

    public CoupleCheckResult Check() => CoupleCheck.Run(CoupleId, Acked, [.. Devices.Select(d => d.Deliveries())]);
}
