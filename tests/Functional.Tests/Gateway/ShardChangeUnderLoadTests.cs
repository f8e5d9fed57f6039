using System.Diagnostics;
using System.Net;
using Chat.Tests.Functional.Support;
using Xunit.Abstractions;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// 200 couples (800 TLS connections: each user has a phone and a desktop, one on each of two
/// gateways) chat while the ring changes under them: a shard joins, a shard drains, a shard dies.
/// Gateways move the streams to the new owners; the client connections stay up wherever the shard
/// could say goodbye, and nothing acknowledged is lost in any case.
/// </summary>
[Collection(GatewayLoadCollection.Name)]
public sealed class ShardChangeUnderLoadTests(ITestOutputHelper output)
{
    private const int Couples = 200;
    private const int PerSender = 12;
    private const string Rehomed = "chat_gateway_chat_gateway_streams_rehomed";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_shard_added_while_200_couples_chat_moves_couples_without_reconnects_or_loss()
    {
        await using var cluster = new GatewayCluster();
        var (gateways, load) = await StartAsync(cluster, "add");
        await using var _ = load;

        await RunAsync(load, async () => await cluster.StartShardAsync("s3"));

        await VerifyAsync(load, gateways, "shard added");
        Assert.Equal(0, load.Reconnects);
    }

    [Theory]
    [InlineData("sigterm")]
    [InlineData("admin")]
    public async Task A_shard_drained_while_200_couples_chat_moves_couples_without_reconnects_or_loss(string how)
    {
        await using var cluster = new GatewayCluster();
        var (gateways, load) = await StartAsync(cluster, "drain");
        await using var _ = load;
        var drained = cluster.Shard("s2");

        await RunAsync(load, async () =>
        {
            if (how == "sigterm")
            {
                drained.Terminate();
                return;
            }

            using var response = await GatewayAdmin.DrainAsync(drained.Admin);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        });

        Assert.Equal(0, await drained.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await VerifyAsync(load, gateways, $"shard drained ({how})");
        Assert.Equal(0, load.Reconnects);
    }

    [Fact]
    public async Task A_shard_killed_while_200_couples_chat_loses_nothing_acknowledged()
    {
        await using var cluster = new GatewayCluster();
        var (gateways, load) = await StartAsync(cluster, "kill");
        await using var _ = load;

        await RunAsync(load, () =>
        {
            cluster.Shard("s2").Kill();
            return Task.CompletedTask;
        });

        // Reconnects are allowed here (the shard could not hand its streams over); loss is not.
        await VerifyAsync(load, gateways, "shard killed");

        // The streams found their new owner once the dead shard's session expired and the ring lost it.
        foreach (var gateway in gateways)
        {
            await gateway.WaitForOutputAsync(@"Ring epoch \d+: 1 shards", TimeSpan.FromSeconds(10));
        }
    }

    private async Task<(GatewayProcess[] Gateways, CoupleLoad Load)> StartAsync(GatewayCluster cluster, string prefix)
    {
        var started = Stopwatch.StartNew();
        await Task.WhenAll(cluster.StartShardAsync("s1"), cluster.StartShardAsync("s2"));
        var gateways = await Task.WhenAll(cluster.StartGatewayAsync("g1"), cluster.StartGatewayAsync("g2"));

        // Each user has one device on each gateway; the two phones (the senders) are on different ones.
        var load = await CoupleLoad.ConnectAsync(cluster, Couples, (_, device) => [gateways[device is 0 or 3 ? 0 : 1].Clients], prefix);
        output.WriteLine($"{load.Connections} TLS connections up after {started.Elapsed.TotalSeconds:F1} s");
        return (gateways, load);
    }

    /// <summary>Sends <see cref="PerSender"/> messages from both phones of every couple and runs <paramref name="change"/> once a quarter of them are acknowledged.</summary>
    private async Task RunAsync(CoupleLoad load, Func<Task> change)
    {
        var started = Stopwatch.StartNew();
        var sending = load.SendAsync(PerSender, Interval);
        await load.WaitForSentAsync(Couples * 2 * PerSender / 4, TimeSpan.FromSeconds(60));
        output.WriteLine($"change at {started.Elapsed.TotalSeconds:F1} s, {load.Sent} sends done");
        await change();
        await sending.WaitAsync(TimeSpan.FromSeconds(150));
        output.WriteLine($"{load.Sent} sends done after {started.Elapsed.TotalSeconds:F1} s");
    }

    private async Task VerifyAsync(CoupleLoad load, GatewayProcess[] gateways, string what)
    {
        await load.VerifyAsync(TimeSpan.FromSeconds(60));
        var rehomed = 0.0;
        foreach (var gateway in gateways.Where(g => !g.HasExited))
        {
            rehomed += await GatewayAdmin.MetricAsync(gateway.Admin, Rehomed);
        }

        output.WriteLine($"{what}: {load.Sent} messages, reconnects {load.Reconnects}, resyncs {load.Resyncs}, sends retried {load.SendsRetried}, streams re-homed {rehomed}");
        Assert.True(rehomed > 0, $"{what}: no stream was re-homed");
    }
}
