using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>Bad configuration: one clear line on stderr and exit code 2, before anything listens.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("--weight", "0", "Shard:Weight")]
    [InlineData("--direct-listen", "nowhere", "Shard:DirectListen")]
    [InlineData("--token-keys", "/nonexistent/keys.txt", "Security:TokenKeyFile")]
    [InlineData("--rate", "-1", "Limits:RatePerSecond")]
    [InlineData("--shard-id", "bad id!", "Shard:Id")]
    public async Task A_bad_value_prints_one_line_and_exits_with_code_2(string option, string value, string named)
    {
        using var keys = new TestKeys();
        var settings = new ShardSettings("cfg", "/t-config", keys, "127.0.0.1:1");
        var args = settings.Arguments([]).ToList();
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exitCode, errors) = await ShardProcess.RunToExitAsync([.. args], TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("configuration error: ", line);
        Assert.Contains(named, line);
    }
}
