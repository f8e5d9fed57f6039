using System.Diagnostics.Metrics;

namespace Chat.Gateway.Lifecycle;

/// <summary>Instruments of the drain, on the gateway's Meter "Chat.Gateway".</summary>
internal sealed class DrainMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _goAways;
    private readonly Counter<long> _forced;

    public DrainMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(Admission.AdmissionMetrics.MeterName) ?? new Meter(Admission.AdmissionMetrics.MeterName);
        _goAways = _meter.CreateCounter<long>("chat.gateway.drain.goaways", "{connection}", "GoAway packets sent to clients by a drain.");
        _forced = _meter.CreateCounter<long>(
            "chat.gateway.drain.forced_closes", "{connection}", "Clients closed by a drain because they stayed past their GoAway deadline or the drain timeout.");
    }

    public void GoAwaysSent(int count) => _goAways.Add(count);

    public void ForcedCloses(int count) => _forced.Add(count);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
