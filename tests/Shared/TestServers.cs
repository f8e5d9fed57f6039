using System.Diagnostics;

namespace Chat.Tests.Shared;

/// <summary>
/// The real servers that scripts/test.sh started for this run, read from environment variables.
/// Tests that need one fail with a clear message when run outside the script, rather than skip:
/// a green run must mean the servers were really there.
/// </summary>
/// <remarks>
/// Contract with scripts/test.sh:
///   CHAT_TEST_ZK               standalone ZooKeeper 3.8, "127.0.0.1:port" (tickTime 500, minSessionTimeout 1000)
///   CHAT_TEST_ZK_ENSEMBLE      3-node ensemble, "127.0.0.1:a,127.0.0.1:b,127.0.0.1:c"
///   CHAT_TEST_REDIS            single Redis 7 with AOF on, "127.0.0.1:port"
///   CHAT_TEST_REDIS_CLUSTER    3-master Redis Cluster, "127.0.0.1:a,127.0.0.1:b,127.0.0.1:c"
///   CHAT_TEST_ZKCLI            executable: zkcli &lt;connect&gt; &lt;command...&gt; (ZooKeeperMain from the Debian package)
///   CHAT_TEST_SERVERS_DIR      one folder per server process (zk, zk1, zk2, zk3, redis, redis-c1..3), each with
///                              `pid`, `port`, and executables `start` (start again, same port and data, wait
///                              until it serves) and `kill` (SIGKILL and wait for exit).
/// </remarks>
public static class TestServers
{
    public static string ZooKeeper => Require("CHAT_TEST_ZK");
    public static string ZooKeeperEnsemble => Require("CHAT_TEST_ZK_ENSEMBLE");
    public static string Redis => Require("CHAT_TEST_REDIS");
    public static string RedisCluster => Require("CHAT_TEST_REDIS_CLUSTER");
    public static string ZkCli => Require("CHAT_TEST_ZKCLI");
    public static string ServersDir => Require("CHAT_TEST_SERVERS_DIR");

    /// <summary>A server process by its folder name under CHAT_TEST_SERVERS_DIR, e.g. "zk2" or "redis".</summary>
    public static ServerProcess Server(string name) => new(Path.Combine(ServersDir, name));

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through scripts/test.sh, which starts the real servers.");
}

/// <summary>One server process started by scripts/test.sh, which tests may kill and start again.</summary>
public sealed class ServerProcess(string dir)
{
    public string Name => Path.GetFileName(dir);
    public int Port => int.Parse(File.ReadAllText(Path.Combine(dir, "port")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    public int Pid => int.Parse(File.ReadAllText(Path.Combine(dir, "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>SIGKILL the server and wait until it has exited.</summary>
    public Task KillAsync() => RunAsync("kill");

    /// <summary>Start the server again on the same port and data directory and wait until it serves.</summary>
    public Task StartAsync() => RunAsync("start");

    private async Task RunAsync(string script)
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(dir, script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not run {script} for {Name}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {Name} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}
