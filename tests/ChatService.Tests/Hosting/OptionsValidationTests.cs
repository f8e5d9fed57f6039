using Chat.ChatService.Hosting;

namespace Chat.Tests.ChatService.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid_once_the_required_values_are_set()
    {
        Assert.Null(new ShardOptions { Id = "s-1.a_b" }.Validate());
        Assert.Null(new ChatLimitsOptions().Validate());
        Assert.Null(new DrainOptions().Validate());
        Assert.Null(new ShardZooKeeperOptions { ConnectString = "127.0.0.1:2181" }.Validate());
    }

    [Theory]
    [InlineData("", "Shard:Id")]
    [InlineData("has space", "Shard:Id")]
    public void Bad_shard_ids_are_named(string id, string expected) =>
        Assert.Contains(expected, new ShardOptions { Id = id }.Validate());

    [Theory]
    [InlineData("127.0.0.1:7100", true)]
    [InlineData("[::1]:7100", true)]
    [InlineData("*:0", true)]
    [InlineData("localhost:7200", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("nowhere:1", false)]
    [InlineData("127.0.0.1:70000", false)]
    public void Listen_addresses_need_an_ip_and_a_port(string text, bool valid) =>
        Assert.Equal(valid, new ShardOptions { Id = "s", MuxListen = text }.Validate() is null);

    [Fact]
    public void Limits_report_every_problem_on_one_line()
    {
        var error = new ChatLimitsOptions { RatePerSecond = 0, MaxBodyBytes = 300_000, MaxSyncLimit = 5000 }.Validate();
        Assert.NotNull(error);
        Assert.DoesNotContain('\n', error);
        Assert.Contains("RatePerSecond", error);
        Assert.Contains("MaxBodyBytes", error);
        Assert.Contains("MaxSyncLimit", error);
    }
}
