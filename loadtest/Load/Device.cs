using System.Diagnostics;
using Chat.Client;
using Chat.LoadTest.Checks;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Load;

/// <summary>
/// One simulated device: a <see cref="ChatClient"/> and everything it delivered, in the order its
/// client raised it (the client raises events from one task, so the list needs no lock while the
/// client runs; it is read after the client is disposed).
/// </summary>
internal sealed class Device : IAsyncDisposable
{
    private readonly List<Delivery> _live = [];
    private readonly List<Delivery> _synced = [];
    private readonly WorkerCounters _counters;
    private bool _connected;

    public Device(string coupleId, string userId, string deviceId, ChatClientOptions options, WorkerCounters counters)
    {
        CoupleId = coupleId;
        UserId = userId;
        DeviceId = deviceId;
        _counters = counters;
        Client = new ChatClient(options);
        Client.MessageReceived += OnMessage;
        Client.StateChanged += OnState;
        Client.Error += (_, e) => counters.Errors.Add("server:" + e.Code);
    }

    public string CoupleId { get; }

    public string UserId { get; }

    public string DeviceId { get; }

    public ChatClient Client { get; }

    /// <summary>
    /// Catches up with a raw Sync from the client's LastSeq (pages, at most <paramref name="maxPages"/>):
    /// what live delivery missed. False when a page failed.
    /// </summary>
    public async Task<bool> FinalSyncAsync(int maxPages, CancellationToken cancellationToken)
    {
        var after = Client.LastSeq;
        for (var page = 0; page < maxPages; page++)
        {
            var result = await Client.SyncAsync(after, 200, cancellationToken);
            if (result.Status != SyncStatus.Ok)
            {
                _counters.Errors.Add("final-sync:" + result.Status);
                return false;
            }

            foreach (var message in result.Messages)
            {
                _synced.Add(new Delivery(message.Seq, message.ClientMsgId, BySync: true));
                after = Math.Max(after, message.Seq);
            }

            if (!result.More || result.Messages.Count == 0)
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>Live deliveries, then the final Sync's messages that live delivery did not bring. Call after dispose.</summary>
    public DeviceDeliveries Deliveries()
    {
        var live = _live.Select(d => d.Seq).ToHashSet();
        return new DeviceDeliveries(DeviceId, [.. _live, .. _synced.Where(s => !live.Contains(s.Seq))]);
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private void OnMessage(object? sender, ChatMessage message)
    {
        _live.Add(new Delivery(message.Seq, message.ClientMsgId, BySync: false));
        _counters.DeliveredOne();
        if (!string.Equals(message.SenderId, UserId, StringComparison.Ordinal) && MessageBody.Timestamp(message.Body.Span) is { } sentAt)
        {
            Histograms.Record(_counters.EndToEnd, (long)Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds);
        }
    }

    private void OnState(object? sender, StateChange change)
    {
        var connected = change.State == ConnectionState.Connected;
        if (connected != _connected)
        {
            _connected = connected;
            _counters.ConnectedChanged(connected);
        }
    }
}
