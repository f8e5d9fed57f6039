using Chat.Cluster.Membership;
using Chat.Gateway.Weights;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Weights;

public sealed class GatewayLoadSamplerTests
{
    private readonly FakeTimeProvider _clock = new();
    private TimeSpan _cpuTime = TimeSpan.FromSeconds(100);
    private int _connections;

    [Fact]
    public void CPU_is_process_time_over_wall_time_over_all_cores()
    {
        var sampler = Sampler(cores: 4);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _cpuTime += TimeSpan.FromSeconds(10); // 2 of 4 cores busy for 5 s
        _connections = 1_000;

        Assert.Equal(new GatewayLoad(1_000, 0.5, 44, false), sampler.Sample());
    }

    [Fact]
    public void A_sample_sooner_than_the_minimum_interval_reuses_the_last_CPU_figure()
    {
        var sampler = Sampler(cores: 1);
        _clock.Advance(TimeSpan.FromSeconds(2));
        _cpuTime += TimeSpan.FromSeconds(1);
        Assert.Equal(0.5, sampler.Sample().Cpu);

        _clock.Advance(TimeSpan.FromMilliseconds(10));
        _cpuTime += TimeSpan.FromMilliseconds(10);
        Assert.Equal(0.5, sampler.Sample().Cpu);
    }

    [Fact]
    public void CPU_is_clamped_and_rounded()
    {
        var sampler = Sampler(cores: 1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _cpuTime += TimeSpan.FromSeconds(3);
        Assert.Equal(1.0, sampler.Sample().Cpu);

        _clock.Advance(TimeSpan.FromSeconds(3));
        _cpuTime += TimeSpan.FromSeconds(1);
        Assert.Equal(0.33, sampler.Sample().Cpu);
    }

    [Fact]
    public void Draining_publishes_weight_0_and_the_flag()
    {
        var sampler = Sampler(cores: 1);
        sampler.MarkDraining();
        var load = sampler.Sample();
        Assert.Equal(0, load.Weight);
        Assert.True(load.Draining);
    }

    [Fact]
    public void The_real_CPU_clock_gives_a_figure_in_range()
    {
        var sampler = new GatewayLoadSampler(() => 3, new WeightOptions { MinCpuInterval = TimeSpan.Zero });
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (spin.ElapsedMilliseconds < 50)
        {
            // Burn a little CPU so the figure is not trivially 0.
        }

        var load = sampler.Sample();
        Assert.InRange(load.Cpu, 0, 1);
        Assert.Equal(3, load.Connections);
    }

    private GatewayLoadSampler Sampler(int cores) => new(
        () => _connections,
        new WeightOptions { MaxWeight = 100, ConnectionCapacity = 10_000, CpuCapacity = 0.9 },
        _clock,
        () => _cpuTime,
        cores);
}
