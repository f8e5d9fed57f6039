using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Chat.Tests.Gateway.Support;

/// <summary>An IMeterFactory whose meters are recorded, so a test sees only its own component's measurements.</summary>
public sealed class MeterRecorder : IMeterFactory
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();
    private readonly List<Meter> _meters = [];

    public MeterRecorder()
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
            foreach (var tag in tags)
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

        return meter;
    }

    /// <summary>Sum of an instrument's measurements (observable ones read now) whose tags include every given pair.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);
    }

    /// <summary>Reads observable instruments now and returns the last value of <paramref name="instrument"/>.</summary>
    public long Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).LastOrDefault();
    }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
