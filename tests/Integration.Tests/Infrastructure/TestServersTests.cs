using System.Net.Sockets;
using System.Text;
using Chat.Tests.Shared;

namespace Chat.Tests.Integration.Infrastructure;

/// <summary>
/// Checks that scripts/test.sh really started the servers the other integration tests rely on,
/// speaking each server's own protocol (ZooKeeper four-letter words, the Redis protocol).
/// </summary>
public sealed class TestServersTests
{
    [Fact]
    public async Task Standalone_zookeeper_serves()
    {
        var reply = await AskAsync(TestServers.ZooKeeper, "srvr");
        Assert.Contains("Mode: standalone", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensemble_has_one_leader_and_two_followers()
    {
        var modes = new List<string>();
        foreach (var server in TestServers.ZooKeeperEnsemble.Split(','))
        {
            var reply = await AskAsync(server, "srvr");
            modes.Add(reply.Split('\n').Single(l => l.StartsWith("Mode: ", StringComparison.Ordinal)).Trim());
        }

        Assert.Single(modes, "Mode: leader");
        Assert.Equal(2, modes.Count(m => m == "Mode: follower"));
    }

    [Fact]
    public async Task Redis_answers_ping_and_has_aof_on()
    {
        Assert.Equal("+PONG", (await AskAsync(TestServers.Redis, "PING\r\n")).Trim());
        var aof = await AskAsync(TestServers.Redis, "CONFIG GET appendonly\r\n");
        Assert.Contains("yes", aof, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_cluster_state_is_ok_on_every_master()
    {
        var nodes = TestServers.RedisCluster.Split(',');
        Assert.Equal(3, nodes.Length);
        foreach (var node in nodes)
        {
            Assert.Contains("cluster_state:ok", await AskAsync(node, "CLUSTER INFO\r\n"), StringComparison.Ordinal);
        }
    }

    /// <summary>Sends one request and reads until the server has said something, then a short quiet gap.</summary>
    private static async Task<string> AskAsync(string hostPort, string request)
    {
        var separator = hostPort.LastIndexOf(':');
        using var client = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(hostPort[..separator], int.Parse(hostPort[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            if (reply.Length > 0)
            {
                quiet.CancelAfter(TimeSpan.FromMilliseconds(200));
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer, quiet.Token);
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                break; // the server said its piece and went quiet (Redis keeps the connection open)
            }

            if (read == 0)
            {
                break; // ZooKeeper closes after a four-letter word
            }

            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return reply.ToString();
    }
}
