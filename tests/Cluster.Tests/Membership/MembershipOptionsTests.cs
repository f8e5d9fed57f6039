using Chat.Cluster.Membership;

namespace Chat.Tests.Cluster.Membership;

public sealed class MembershipOptionsTests
{
    [Fact]
    public void Valid_shard_options_pass()
    {
        var result = new ShardRegistrationOptionsValidator().Validate(null, new ShardRegistrationOptions { ShardId = "shard-1", Host = "h", MuxPort = 7001 });
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Every_bad_shard_setting_is_reported()
    {
        var result = new ShardRegistrationOptionsValidator().Validate(null, new ShardRegistrationOptions
        {
            Root = "chat",
            ShardId = "bad/id",
            Host = "",
            MuxPort = 0,
            DirectPort = 70_000,
            AdminPort = -1,
            Weight = 0,
            RetryDelay = TimeSpan.Zero,
        });
        Assert.Equal(8, result.Failures!.Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("é")]
    public void Ids_are_refused_unless_safe_node_names(string id) => Assert.False(MembershipIds.IsValid(id));

    [Fact]
    public void The_longest_id_is_64_characters()
    {
        Assert.True(MembershipIds.IsValid(new string('a', 64)));
        Assert.False(MembershipIds.IsValid(new string('a', 65)));
    }

    [Fact]
    public void Gateway_and_ring_options_are_checked()
    {
        Assert.True(new GatewayRegistrationOptionsValidator().Validate(null, new GatewayRegistrationOptions { GatewayId = "g", Host = "h", Port = 443 }).Succeeded);
        var bad = new GatewayRegistrationOptionsValidator().Validate(null, new GatewayRegistrationOptions { GatewayId = "", Host = "", Port = 0, AdminUrl = "not a url", RefreshInterval = TimeSpan.Zero });
        Assert.Equal(5, bad.Failures!.Count());
        Assert.True(new RingWatcherOptionsValidator().Validate(null, new RingWatcherOptions()).Succeeded);
        Assert.False(new RingWatcherOptionsValidator().Validate(null, new RingWatcherOptions { Root = "/a/", RetryDelay = TimeSpan.Zero }).Succeeded);
    }

    [Fact]
    public void Layout_paths_follow_the_root()
    {
        Assert.Equal("/chat/ring/s1", MembershipPaths.RingMember("/chat", "s1"));
        Assert.Equal("/shards/s1", MembershipPaths.Shard("/", "s1"));
        Assert.Equal(["/prod", "/prod/chat", "/prod/chat/shards", "/prod/chat/ring", "/prod/chat/gateways"], MembershipPaths.Parents("/prod/chat"));
    }
}
