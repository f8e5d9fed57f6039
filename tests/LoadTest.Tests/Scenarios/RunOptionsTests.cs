using Chat.LoadTest.Load;
using Chat.LoadTest.Scenarios;

namespace Chat.Tests.LoadTest.Scenarios;

/// <summary>Options validation and how a load is sliced over worker processes.</summary>
public class RunOptionsTests
{
    private static RunOptions Valid(ScenarioKind kind = ScenarioKind.Chat) => new() { Scenario = kind, ZooKeeper = "127.0.0.1:2181", Redis = "127.0.0.1:6379", ServersDir = "/tmp/x" };

    [Fact]
    public void Defaults_are_valid_for_every_scenario() =>
        Assert.All(ScenarioNames.All, kind => Assert.Null(Valid(kind).Validate()));

    [Theory]
    [InlineData("zk")]
    [InlineData("couples")]
    [InlineData("duration")]
    [InlineData("drain-gateway")]
    [InlineData("servers")]
    [InlineData("action")]
    public void Bad_values_are_one_line(string what)
    {
        var options = what switch
        {
            "zk" => Valid() with { ZooKeeper = "" },
            "couples" => Valid() with { Couples = 0 },
            "duration" => Valid() with { DurationSeconds = -1 },
            "drain-gateway" => Valid(ScenarioKind.DrainGateway) with { Gateways = 1 },
            "servers" => Valid(ScenarioKind.RestartRedis) with { ServersDir = null },
            _ => Valid() with { ActionAt = 1.5 },
        };
        var problem = options.Validate();
        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void The_default_rate_is_one_message_per_couple_per_second()
    {
        Assert.Equal(1000, Valid().EffectiveRate);
        Assert.Equal(5, (Valid() with { Rate = 5 }).EffectiveRate);
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(10_000, 3)]
    [InlineData(7, 3)]
    public void Slices_cover_every_couple_once_and_split_the_rate(int couples, int workers)
    {
        var template = new LoadSpec { RunId = "r", TokenKeyPath = "k", Couples = couples, Rate = 2 * couples };
        var slices = ScenarioRunner.SliceEvenly(template, workers);
        Assert.Equal(workers, slices.Count);
        Assert.Equal(couples, slices.Sum(s => s.Couples));
        Assert.Equal(Enumerable.Range(0, couples), slices.SelectMany(s => Enumerable.Range(s.FirstCouple, s.Couples)));
        Assert.Equal(2.0 * couples, slices.Sum(s => s.Rate), 6);
        Assert.Equal(workers, slices.Select(s => s.Seed).Distinct().Count());
    }

    [Fact]
    public void Every_scenario_has_a_command()
    {
        var root = CommandLine.Build();
        Assert.All(ScenarioNames.All, kind => Assert.Contains(root.Subcommands, c => c.Name == ScenarioNames.Of(kind)));
        Assert.Empty(root.Parse(["chat", "--couples", "10", "--compare"]).Errors);
        Assert.NotEmpty(root.Parse(["scale-out", "--compare"]).Errors);
    }
}
