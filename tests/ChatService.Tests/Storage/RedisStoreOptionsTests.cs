using Chat.ChatService.Storage;
using StackExchange.Redis;

namespace Chat.Tests.ChatService.Storage;

public sealed class RedisStoreOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Null(new RedisStoreOptions().Validate());

    [Fact]
    public void Each_bad_setting_gives_its_own_line()
    {
        var options = new RedisStoreOptions
        {
            Configuration = " ",
            CommandTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromHours(1),
            DedupTtl = TimeSpan.FromSeconds(1),
            RetentionCount = -1,
            MaxPageSize = 0,
            MaxPageBytes = 10,
            MaxBodyBytes = 0,
        };

        var errors = options.Validate()!.Split("; ");

        Assert.Equal(8, errors.Length);
        Assert.Contains(errors, e => e.Contains("Configuration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(nameof(RedisStoreOptions.RetentionCount), StringComparison.Ordinal));
    }

    [Fact]
    public void Unparseable_configuration_is_a_validation_error_not_an_exception()
    {
        var error = new RedisStoreOptions { Configuration = "127.0.0.1:1,syncTimeout=notanumber" }.Validate();

        Assert.StartsWith("Redis:Configuration is not a valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_configuration_gets_the_store_overrides()
    {
        var options = new RedisStoreOptions
        {
            Configuration = "127.0.0.1:7000,127.0.0.1:7001,abortConnect=true,syncTimeout=9000",
            CommandTimeout = TimeSpan.FromMilliseconds(1500),
            QueueWhileDisconnected = false,
        };

        var config = options.ToRedisConfiguration();

        Assert.False(config.AbortOnConnectFail);
        Assert.Equal(1500, config.SyncTimeout);
        Assert.Equal(1500, config.AsyncTimeout);
        Assert.Equal(2, config.EndPoints.Count);
        Assert.Same(BacklogPolicy.FailFast, config.BacklogPolicy);
    }
}
