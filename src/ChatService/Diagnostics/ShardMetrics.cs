using System.Diagnostics.Metrics;

namespace Chat.ChatService.Diagnostics;

/// <summary>
/// Metrics of the chat shard on the <c>Chat.ChatService</c> meter (exported by the admin /metrics
/// endpoint with the storage meter's Redis latency histogram): open connections by kind, couples
/// in memory, messages stored, errors sent by code, connections ended by reason.
/// </summary>
internal sealed class ShardMetrics : IDisposable
{
    public const string MeterName = "Chat.ChatService";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _ends;
    private long _direct;
    private long _streams;
    private Func<int>? _couples;

    public ShardMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _messages = _meter.CreateCounter<long>("chat.shard.messages", description: "Messages stored (new seqs) by sends on this shard.");
        _duplicates = _meter.CreateCounter<long>("chat.shard.duplicate_sends", description: "Sends answered with the original seq (retries).");
        _errors = _meter.CreateCounter<long>("chat.shard.errors", description: "Error packets sent to clients, by code.");
        _ends = _meter.CreateCounter<long>("chat.shard.resets", description: "Client connections and streams ended by the shard, by reason.");
        _meter.CreateObservableGauge("chat.shard.connections", ObserveConnections, description: "Authenticated and pending client connections, by kind (direct, stream).");
        _meter.CreateObservableGauge("chat.shard.couples", () => _couples?.Invoke() ?? 0, description: "Couples with state in memory on this shard.");
    }

    /// <summary>Open client connections of both kinds.</summary>
    public long Connections => Interlocked.Read(ref _direct) + Interlocked.Read(ref _streams);

    /// <summary>Open mux streams.</summary>
    public long Streams => Interlocked.Read(ref _streams);

    public void ObserveCouples(Func<int> count) => _couples = count;

    public void ConnectionOpened(bool stream) => Interlocked.Increment(ref stream ? ref _streams : ref _direct);

    public void ConnectionClosed(bool stream) => Interlocked.Decrement(ref stream ? ref _streams : ref _direct);

    public void MessageStored() => _messages.Add(1);

    public void DuplicateSend() => _duplicates.Add(1);

    public void ErrorSent(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Ended(string reason) => _ends.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObserveConnections() =>
    [
        new(Interlocked.Read(ref _direct), new KeyValuePair<string, object?>("kind", "direct")),
        new(Interlocked.Read(ref _streams), new KeyValuePair<string, object?>("kind", "stream")),
    ];
}
