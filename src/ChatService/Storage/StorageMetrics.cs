using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Chat.ChatService.Storage;

/// <summary>
/// Metrics of the store, on the <c>Chat.ChatService.Storage</c> meter: the latency of every Redis
/// round trip by operation and outcome, so an exporter (admin /metrics) can show it.
/// </summary>
internal sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "Chat.ChatService.Storage";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _commandDuration;

    public StorageMetrics(IMeterFactory? meterFactory)
    {
        // A factory's meters are shared by name and disposed by the factory; only a meter made here is ours.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _commandDuration = _meter.CreateHistogram<double>(
            "chat.storage.redis.duration",
            unit: "ms",
            description: "Duration of one store call to Redis, by operation and outcome.");
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp()"/>).</summary>
    public void RecordCommand(string operation, string outcome, long startTimestamp)
    {
        if (_commandDuration.Enabled)
        {
            _commandDuration.Record(
                Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds,
                new KeyValuePair<string, object?>("operation", operation),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
