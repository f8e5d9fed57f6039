using System.Net.Sockets;
using System.Text;
using Chat.Tests.Shared;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Asks ZooKeeper servers about themselves with the `srvr` four-letter word.</summary>
internal static class ServerProbe
{
    public static readonly string[] EnsembleNames = ["zk1", "zk2", "zk3"];

    /// <summary>"leader", "follower", "standalone", or null when the server does not serve.</summary>
    public static async Task<string?> ModeAsync(int port)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("srvr"u8.ToArray(), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var text = await reader.ReadToEndAsync(timeout.Token);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("Mode: ", StringComparison.Ordinal));
            return line?["Mode: ".Length..].Trim();
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The ensemble server that is leader now, waiting for an election to finish.</summary>
    public static async Task<ServerProcess> LeaderAsync()
    {
        ServerProcess? leader = null;
        Assert.True(
            await ZooKeeperTestKit.EventuallyAsync(async () =>
            {
                foreach (var name in EnsembleNames)
                {
                    var server = TestServers.Server(name);
                    if (await ModeAsync(server.Port) == "leader")
                    {
                        leader = server;
                        return true;
                    }
                }

                return false;
            }),
            "no ensemble leader");
        return leader!;
    }

    /// <summary>The ensemble server listening on the port of "host:port".</summary>
    public static ServerProcess ByAddress(string address)
    {
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return EnsembleNames.Select(TestServers.Server).Single(s => s.Port == port);
    }

    /// <summary>
    /// Starts the server again unless it already serves (a test's finally, after a kill), and waits
    /// until it serves: an ensemble node's start script only waits for its port, not for it to rejoin.
    /// </summary>
    public static async Task EnsureRunningAsync(ServerProcess server)
    {
        if (await ModeAsync(server.Port) is null)
        {
            await server.StartAsync();
        }

        Assert.True(await ZooKeeperTestKit.EventuallyAsync(async () => await ModeAsync(server.Port) is not null), $"{server.Name} does not serve again");
    }
}
