using System.Diagnostics.Metrics;

namespace Chat.Gateway.Admission;

/// <summary>
/// Instruments of client admission (Meter "Chat.Gateway"). Handshake outcomes (succeeded, failed,
/// resumed) are counted by the TLS edge on its own meter "Chat.Gateway.Tls"; this counts what
/// happens before the TLS engine sees a byte.
/// </summary>
internal sealed class AdmissionMetrics : IDisposable
{
    public const string MeterName = "Chat.Gateway";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _idleClosed;

    public AdmissionMetrics(IMeterFactory? meterFactory, Func<long> openConnections)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableUpDownCounter(
            "chat.gateway.connections", openConnections, "{connection}",
            "Client connections open now, including those still in their TLS handshake.");
        _accepted = _meter.CreateCounter<long>(
            "chat.gateway.connections.accepted", "{connection}", "Client connections admitted.");
        _rejected = _meter.CreateCounter<long>(
            "chat.gateway.connections.rejected", "{connection}",
            "Client connections closed by admission, by reason (max_connections, max_per_address, draining, handshake_rate).");
        _handshakes = _meter.CreateCounter<long>(
            "chat.gateway.handshakes.admission", "{handshake}",
            "Handshake admission decisions by kind offered (full, resumption) and outcome (admitted, rejected).");
        _idleClosed = _meter.CreateCounter<long>(
            "chat.gateway.connections.idle_closed", "{connection}", "Client connections closed after Limits:IdleTimeout without traffic.");
    }

    public void Accepted() => _accepted.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Handshake(HandshakeKind kind, bool admitted) => _handshakes.Add(
        1,
        new KeyValuePair<string, object?>("kind", kind == HandshakeKind.Full ? "full" : "resumption"),
        new KeyValuePair<string, object?>("outcome", admitted ? "admitted" : "rejected"));

    public void IdleClosed() => _idleClosed.Add(1);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
