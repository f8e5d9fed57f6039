using System.Diagnostics.Metrics;

namespace Chat.Gateway.Diagnostics;

/// <summary>
/// The gateway's instruments on the "Chat.Gateway" meter (exported by the admin endpoint's
/// /metrics). Counters are cheap enough for the relay path: one add per batch of frames.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Chat.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _bytesUp;
    private readonly Counter<long> _bytesDown;
    private readonly Counter<long> _rehomed;
    private readonly Counter<long> _routeFailures;
    private readonly Histogram<double> _downstreamWrite;
    private long _connections;
    private long _streams;

    /// <param name="meterFactory">Creates the meter; null: a meter of its own (tests).</param>
    public GatewayMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _accepted = _meter.CreateCounter<long>("chat.gateway.connections.accepted", description: "Client connections accepted");
        _authFailures = _meter.CreateCounter<long>("chat.gateway.auth.failures", description: "Client connections closed before routing, by reason");
        _bytesUp = _meter.CreateCounter<long>("chat.gateway.bytes.up", "By", "Client frame bytes relayed to shards");
        _bytesDown = _meter.CreateCounter<long>("chat.gateway.bytes.down", "By", "Shard frame bytes relayed to clients");
        _rehomed = _meter.CreateCounter<long>("chat.gateway.streams.rehomed", description: "Streams re-opened at another owner (or again at the same one) without closing the client");
        _routeFailures = _meter.CreateCounter<long>("chat.gateway.route.failures", description: "Clients closed because no owner could be reached, by reason");
        _downstreamWrite = _meter.CreateHistogram<double>("chat.gateway.relay.downstream_write", "ms", "Time from a shard frame batch arriving to its write to the client socket completing");
        _meter.CreateObservableGauge("chat.gateway.connections", () => Volatile.Read(ref _connections), description: "Open client connections");
        _meter.CreateObservableGauge("chat.gateway.streams", () => Volatile.Read(ref _streams), description: "Open mux streams");
    }

    public long Connections => Volatile.Read(ref _connections);

    public long Streams => Volatile.Read(ref _streams);

    public void ConnectionOpened()
    {
        _accepted.Add(1);
        Interlocked.Increment(ref _connections);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void StreamOpened() => Interlocked.Increment(ref _streams);

    public void StreamClosed() => Interlocked.Decrement(ref _streams);

    public void AuthFailed(string reason) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BytesUp(int count) => _bytesUp.Add(count);

    public void BytesDown(int count) => _bytesDown.Add(count);

    public void Rehomed(string cause) => _rehomed.Add(1, new KeyValuePair<string, object?>("cause", cause));

    public void RouteFailed(string reason) => _routeFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void DownstreamWrite(TimeSpan elapsed) => _downstreamWrite.Record(elapsed.TotalMilliseconds);

    public void Dispose() => _meter.Dispose();
}
