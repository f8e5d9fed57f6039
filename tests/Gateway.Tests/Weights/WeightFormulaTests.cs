using Chat.Gateway.Weights;

namespace Chat.Tests.Gateway.Weights;

public sealed class WeightFormulaTests
{
    private static readonly WeightOptions Options = new() { MaxWeight = 100, ConnectionCapacity = 10_000, CpuCapacity = 0.8 };

    [Theory]
    [InlineData(0, 0.0, 100)]
    [InlineData(5_000, 0.0, 50)]
    [InlineData(0, 0.4, 50)]
    [InlineData(2_500, 0.6, 25)] // the fuller resource decides
    [InlineData(7_500, 0.2, 25)]
    [InlineData(10_000, 0.0, 1)] // full: floor 1, still in DNS
    [InlineData(50_000, 1.0, 1)]
    [InlineData(0, double.NaN, 1)] // an unreadable CPU figure counts as busy
    [InlineData(-5, -1.0, 100)]
    public void Falls_with_CPU_and_connections_and_never_below_1_while_serving(int connections, double cpu, int expected) =>
        Assert.Equal(expected, WeightFormula.Compute(connections, cpu, draining: false, Options));

    [Fact]
    public void Is_0_while_draining() => Assert.Equal(0, WeightFormula.Compute(0, 0, draining: true, Options));

    [Fact]
    public void Never_rises_when_load_rises()
    {
        var previous = int.MaxValue;
        for (var connections = 0; connections <= 12_000; connections += 500)
        {
            var weight = WeightFormula.Compute(connections, 0.3, draining: false, Options);
            Assert.True(weight <= previous);
            previous = weight;
        }
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Null(new WeightOptions().Validate());
        Assert.Contains("Weights:MaxWeight", new WeightOptions { MaxWeight = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Weights:ConnectionCapacity", new WeightOptions { ConnectionCapacity = 0 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("Weights:CpuCapacity", new WeightOptions { CpuCapacity = 1.5 }.Validate(), StringComparison.Ordinal);
    }
}
