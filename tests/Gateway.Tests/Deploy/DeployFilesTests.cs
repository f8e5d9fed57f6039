using System.Globalization;
using System.Text.RegularExpressions;
using Chat.Gateway.Admission;
using Chat.Gateway.Lifecycle;
using Chat.Gateway.Weights;
using Chat.Tests.Gateway.Support;
using Microsoft.Extensions.Configuration;

namespace Chat.Tests.Gateway.Deploy;

/// <summary>The example configuration binds to valid options, and the unit files give a drain the time it needs.</summary>
public sealed partial class DeployFilesTests
{
    private static readonly string DeployDir = Path.Combine(RepositoryRoot.Path, "deploy");

    [Fact]
    public void The_example_gateway_configuration_binds_to_valid_options()
    {
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(DeployDir, "config", "gateway.json")).Build();
        Assert.Null(config.GetSection(AdmissionOptions.Section).Get<AdmissionOptions>()!.Validate());
        Assert.Null(config.GetSection(DrainOptions.Section).Get<DrainOptions>()!.Validate());
        Assert.Null(config.GetSection(WeightOptions.Section).Get<WeightOptions>()!.Validate());
    }

    [Theory]
    [InlineData("chat-gateway.service", "gateway.json")]
    [InlineData("chat-shard.service", "shard.json")]
    public void TimeoutStopSec_leaves_room_for_the_whole_drain(string unit, string configFile)
    {
        var text = File.ReadAllText(Path.Combine(DeployDir, unit));
        var stop = TimeSpan.FromSeconds(int.Parse(StopTimeout().Match(text).Groups[1].Value, CultureInfo.InvariantCulture));
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(DeployDir, "config", configFile)).Build();
        var drain = TimeSpan.Parse(config["Drain:Timeout"]!, CultureInfo.InvariantCulture);
        Assert.True(stop >= drain + TimeSpan.FromSeconds(30), $"{unit}: TimeoutStopSec {stop} vs Drain:Timeout {drain}");
        Assert.Contains("LimitNOFILE=1048576", text, StringComparison.Ordinal);
        Assert.Contains("KillSignal=SIGTERM", text, StringComparison.Ordinal);
        Assert.Contains("User=chat", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^TimeoutStopSec=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex StopTimeout();
}
