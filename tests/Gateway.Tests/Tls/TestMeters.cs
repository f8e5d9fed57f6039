using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Chat.Tests.Gateway.Tls;

/// <summary>An IMeterFactory whose meters a listener records, so a test sees only its own engine's measurements.</summary>
public sealed class TestMeters : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();
    private readonly List<Meter> _meters = [];

    public TestMeters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            lock (_meters)
            {
                if (_meters.Contains(instrument.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, string?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                map[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        _listener.RecordObservableInstruments();
        return meter;
    }

    /// <summary>Sum of an instrument's measurements whose tags include every given pair.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out string? v) && v == t.Value)).Sum(m => m.Value);

    public void Dispose()
    {
        _listener.Dispose();
        lock (_meters)
        {
            foreach (Meter meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
