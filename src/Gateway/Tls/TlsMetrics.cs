using System.Diagnostics.Metrics;
using System.Security.Authentication;

namespace Chat.Gateway.Tls;

/// <summary>
/// Instruments of the TLS edge (Meter "Chat.Gateway.Tls"), shared by every engine so dashboards do
/// not change with the engine.
/// </summary>
internal sealed class TlsMetrics : IDisposable
{
    public const string MeterName = "Chat.Gateway.Tls";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _handshakes;
    private readonly Histogram<double> _handshakeDuration;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _tickets;
    private readonly Counter<long> _ticketKeyReloads;

    public TlsMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _handshakes = _meter.CreateCounter<long>(
            "chat.gateway.tls.handshakes", "{handshake}",
            "TLS handshakes by outcome (succeeded, failed, timed_out), protocol and whether the session was resumed.");
        _handshakeDuration = _meter.CreateHistogram<double>(
            "chat.gateway.tls.handshake.duration", "s", "Time from accept to a finished TLS handshake.");
        _active = _meter.CreateUpDownCounter<long>(
            "chat.gateway.tls.connections.active", "{connection}", "Connections with a finished TLS handshake that are still open.");
        _reloads = _meter.CreateCounter<long>(
            "chat.gateway.tls.certificate.reloads", "{reload}", "Certificate reloads by outcome (succeeded, failed).");
        _tickets = _meter.CreateCounter<long>(
            "chat.gateway.tls.tickets", "{ticket}",
            "Session tickets by outcome: issued, accepted, accepted_old_key, unknown_key, failed (OpenSsl engine only; the resumption cache of a ticket-only server).");
        _ticketKeyReloads = _meter.CreateCounter<long>(
            "chat.gateway.tls.ticket_keys.reloads", "{reload}", "Ticket key file reloads by outcome (succeeded, failed).");
    }

    /// <param name="resumed">null when the engine cannot tell.</param>
    public void HandshakeSucceeded(SslProtocols protocol, bool? resumed, TimeSpan duration)
    {
        _handshakes.Add(
            1,
            new KeyValuePair<string, object?>("outcome", "succeeded"),
            new KeyValuePair<string, object?>("protocol", ProtocolTag(protocol)),
            new KeyValuePair<string, object?>("resumed", resumed switch { true => "true", false => "false", null => "unknown" }));
        _handshakeDuration.Record(duration.TotalSeconds);
        _active.Add(1);
    }

    public void HandshakeFailed(bool timedOut) =>
        _handshakes.Add(1, new KeyValuePair<string, object?>("outcome", timedOut ? "timed_out" : "failed"));

    public void ConnectionClosed() => _active.Add(-1);

    public void CertificateReloaded(bool succeeded) =>
        _reloads.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void Ticket(OpenSsl.TicketOutcome outcome) => _tickets.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        OpenSsl.TicketOutcome.Issued => "issued",
        OpenSsl.TicketOutcome.Accepted => "accepted",
        OpenSsl.TicketOutcome.AcceptedOldKey => "accepted_old_key",
        OpenSsl.TicketOutcome.UnknownKey => "unknown_key",
        _ => "failed",
    }));

    public void TicketKeysReloaded(bool succeeded) =>
        _ticketKeyReloads.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal static string ProtocolTag(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "tls1.3",
        SslProtocols.Tls12 => "tls1.2",
        _ => protocol.ToString(),
    };
}
