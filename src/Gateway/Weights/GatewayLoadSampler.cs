using Chat.Cluster.Membership;

namespace Chat.Gateway.Weights;

/// <summary>
/// Samples what <see cref="GatewayRegistration"/> publishes: connections (from the admission
/// controller), process CPU over the interval since the previous sample (all cores: CPU time
/// divided by wall time times <see cref="Environment.ProcessorCount"/>), and the weight from
/// <see cref="WeightFormula"/>. Pass <see cref="Sample"/> as the registration's load callback.
/// </summary>
public sealed class GatewayLoadSampler
{
    private readonly Func<int> _connections;
    private readonly WeightOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _processorTime;
    private readonly int _processorCount;
    private readonly Lock _lock = new();
    private long _sampledAt;
    private TimeSpan _sampledCpuTime;
    private double _cpu;
    private volatile bool _draining;

    /// <param name="connections">Open client connections (e.g. <c>() => admission.Count</c>).</param>
    /// <param name="options">Weight formula settings.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="processorTime">Process CPU time so far; default <see cref="Environment.CpuUsage"/>.</param>
    /// <param name="processorCount">Cores; default <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public GatewayLoadSampler(
        Func<int> connections, WeightOptions options, TimeProvider? timeProvider = null, Func<TimeSpan>? processorTime = null, int? processorCount = null)
    {
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        _connections = connections;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _processorTime = processorTime ?? (static () => Environment.CpuUsage.TotalTime);
        _processorCount = Math.Max(1, processorCount ?? Environment.ProcessorCount);
        _sampledAt = _time.GetTimestamp();
        _sampledCpuTime = _processorTime();
    }

    /// <summary>True once <see cref="MarkDraining"/> was called: the weight is 0 from then on.</summary>
    public bool Draining => _draining;

    public void MarkDraining() => _draining = true;

    /// <summary>The load now. Thread-safe; cheap (one CPU-time read).</summary>
    public GatewayLoad Sample()
    {
        double cpu;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var wall = _time.GetElapsedTime(_sampledAt, now);
            if (wall >= _options.MinCpuInterval && wall > TimeSpan.Zero)
            {
                var cpuTime = _processorTime();
                var used = (cpuTime - _sampledCpuTime).TotalSeconds / (wall.TotalSeconds * _processorCount);

                // Two decimals: finer changes are noise and would rewrite the node every refresh.
                _cpu = Math.Round(Math.Clamp(used, 0, 1), 2);
                _sampledAt = now;
                _sampledCpuTime = cpuTime;
            }

            cpu = _cpu;
        }

        var connections = Math.Max(0, _connections());
        var draining = _draining;
        return new GatewayLoad(connections, cpu, WeightFormula.Compute(connections, cpu, draining, _options), draining);
    }
}
