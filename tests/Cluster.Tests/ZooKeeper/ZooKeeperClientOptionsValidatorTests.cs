using Chat.Cluster.ZooKeeper;
using Microsoft.Extensions.Options;

namespace Chat.Tests.Cluster.ZooKeeper;

public sealed class ZooKeeperClientOptionsValidatorTests
{
    [Fact]
    public void Defaults_with_a_connect_string_are_valid() =>
        Assert.True(Validate(new ZooKeeperClientOptions { ConnectString = "127.0.0.1:2181" }).Succeeded);

    [Fact]
    public void Each_bad_setting_is_one_line_naming_it()
    {
        var result = Validate(new ZooKeeperClientOptions
        {
            ConnectString = "host:99999",
            SessionTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
            MaxPendingRequests = 0,
            MaxFrameBytes = 10,
            ReconnectDelay = TimeSpan.FromSeconds(5),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
        var failures = result.Failures!.ToList();
        Assert.Equal(7, failures.Count);
        foreach (var name in new[] { "ConnectString", "SessionTimeout", "ConnectTimeout", "RequestTimeout", "MaxPendingRequests", "MaxFrameBytes", "ReconnectDelay" })
        {
            Assert.Single(failures, f => f.StartsWith("ZooKeeper:" + name, StringComparison.Ordinal));
        }

        Assert.All(failures, f => Assert.DoesNotContain('\n', f));
    }

    [Fact]
    public void The_client_refuses_invalid_options_at_construction() =>
        Assert.Throws<OptionsValidationException>(() => new ZooKeeperClient(new ZooKeeperClientOptions()));

    private static ValidateOptionsResult Validate(ZooKeeperClientOptions options) => new ZooKeeperClientOptionsValidator().Validate(null, options);
}
