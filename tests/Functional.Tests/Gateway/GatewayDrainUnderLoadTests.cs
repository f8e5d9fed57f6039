using System.Diagnostics;
using System.Text.RegularExpressions;
using Chat.Tests.Functional.Support;
using Xunit.Abstractions;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// A gateway drained (SIGTERM, short drain options) under 500 TLS connections that know both
/// gateways: its clients get GoAway and reconnect to the other one, nothing acknowledged is lost,
/// the drained gateway deregisters and exits 0.
/// </summary>
[Collection(GatewayLoadCollection.Name)]
public sealed partial class GatewayDrainUnderLoadTests(ITestOutputHelper output)
{
    private const int Couples = 125;
    private const int PerSender = 24;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private static readonly string[] ShortDrain =
    [
        "--Drain:GoAwayDelay", "00:00:00.5",
        "--Drain:GoAwayWindow", "00:00:02",
        "--Drain:ReconnectWithin", "00:00:02",
        "--Drain:CloseGrace", "00:00:05",
        "--Drain:QuietPeriod", "00:00:01",
        "--Drain:Timeout", "00:01:00",
    ];

    [Fact]
    public async Task A_gateway_drained_under_500_connections_moves_them_to_the_other_gateway_and_loses_nothing()
    {
        await using var cluster = new GatewayCluster();
        await Task.WhenAll(cluster.StartShardAsync("s1"), cluster.StartShardAsync("s2"));
        var gateways = await Task.WhenAll(cluster.StartGatewayAsync("g1", ShortDrain), cluster.StartGatewayAsync("g2", ShortDrain));
        var (g1, g2) = (gateways[0], gateways[1]);
        await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Count == 2, TimeSpan.FromSeconds(15));

        // Every device knows both gateways and starts at a random one of them.
        await using var load = await CoupleLoad.ConnectAsync(cluster, Couples, (_, _) => [g1.Clients, g2.Clients], "gwd");
        Assert.Equal(500, load.Connections);
        var (_, onG1) = await GatewayAdmin.DrainStatusAsync(g1.Admin);
        output.WriteLine($"{onG1} of {load.Connections} connections on g1");
        Assert.InRange(onG1, 1, load.Connections - 1);

        // The published load (refreshed every 5 s) counts every connection on each gateway.
        await GatewayAdmin.WaitForWeightsAsync(
            g2.Admin, w => w.Count == 2 && w[0].Connections == onG1 && w[1].Connections == load.Connections - onG1, TimeSpan.FromSeconds(15));

        var started = Stopwatch.StartNew();
        var sending = load.SendAsync(PerSender, Interval);
        await load.WaitForSentAsync(Couples * 2 * PerSender / 4, TimeSpan.FromSeconds(60));
        g1.Terminate();
        Assert.Equal(0, await g1.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"g1 drained and exited {started.Elapsed.TotalSeconds:F1} s after sending began");
        await sending.WaitAsync(TimeSpan.FromSeconds(120));
        await load.VerifyAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"{load.Sent} messages, reconnects {load.Reconnects}, resyncs {load.Resyncs}, sends retried {load.SendsRetried}");
        var goAways = int.Parse(GoAwayLine().Match(g1.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(onG1, goAways);
        Assert.DoesNotContain("did not leave after their GoAway", g1.Output, StringComparison.Ordinal);
        Assert.Contains("Drain: no clients left; deregistered (Ok)", g1.Output, StringComparison.Ordinal);
        Assert.True(load.Reconnects >= onG1, $"{load.Reconnects} reconnects for {onG1} clients sent away");

        // Everyone is on g2 now, and g2's view of the cluster no longer lists g1.
        var (_, onG2) = await GatewayAdmin.DrainStatusAsync(g2.Admin);
        Assert.Equal(load.Connections, onG2);
        var weights = await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Count == 1, TimeSpan.FromSeconds(15));
        Assert.Equal("g2", Assert.Single(weights).Id);
    }

    [Fact]
    public async Task A_gateway_killed_under_500_connections_loses_nothing_and_leaves_the_directory()
    {
        await using var cluster = new GatewayCluster();
        await Task.WhenAll(cluster.StartShardAsync("s1"), cluster.StartShardAsync("s2"));
        var gateways = await Task.WhenAll(cluster.StartGatewayAsync("g1"), cluster.StartGatewayAsync("g2"));
        var (g1, g2) = (gateways[0], gateways[1]);
        await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Count == 2, TimeSpan.FromSeconds(15));
        await using var load = await CoupleLoad.ConnectAsync(cluster, Couples, (_, _) => [g1.Clients, g2.Clients], "gwk");
        var (_, onG1) = await GatewayAdmin.DrainStatusAsync(g1.Admin);

        var sending = load.SendAsync(PerSender, Interval);
        await load.WaitForSentAsync(Couples * 2 * PerSender / 4, TimeSpan.FromSeconds(60));
        using (var kill = Process.Start("kill", ["-KILL", g1.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(120));
        await load.VerifyAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{onG1} clients on the killed gateway; {load.Sent} messages, reconnects {load.Reconnects}, resyncs {load.Resyncs}, sends retried {load.SendsRetried}");
        Assert.True(load.Reconnects >= onG1, $"{load.Reconnects} reconnects for {onG1} clients cut off");

        // Its node goes with its ZooKeeper session (2 s).
        var weights = await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Count == 1, TimeSpan.FromSeconds(15));
        Assert.Equal("g2", Assert.Single(weights).Id);
    }

    [GeneratedRegex(@"Drain: sending GoAway to (\d+) clients")]
    private static partial Regex GoAwayLine();
}
