using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// Two real shard processes in one ring (their own ZooKeeper root): ownership moves when a shard
/// joins, leaves by drain (SIGTERM or POST /admin/drain), and the owner is the only one serving.
/// </summary>
public sealed class RingChangeTests : IAsyncLifetime
{
    private static readonly string[] Both = ["sa", "sb"];
    private readonly ShardCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_shard_that_loses_a_couple_to_a_joining_shard_ends_its_connections_and_refuses_new_ones()
    {
        var couple = ShardCluster.CoupleOwnedBy("sb", Both, ShardCluster.NewCouple("c-move"));
        var a = await _cluster.StartAsync("sa");
        var (device, _) = await ChatTestClient.ConnectAndAuthAsync(a.Direct, _cluster.Keys.Token("alice", couple), "phone");
        await using var _d = device;

        var b = await _cluster.StartAsync("sb");

        var ended = await device.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ErrorCode.NotOwner, Assert.Single(ended, p => p.Kind == PacketKind.Error).Error!.Code);

        // The new owner serves the couple; the old one answers a token of that couple with NotOwner.
        var (moved, _) = await ChatTestClient.ConnectAndAuthAsync(b.Direct, _cluster.Keys.Token("alice", couple), "phone");
        await moved.DisposeAsync();
        await using var refused = await ChatTestClient.ConnectAsync(a.Direct);
        await refused.SendAsync(new Auth { Token = _cluster.Keys.Token("alice", couple), DeviceId = "phone" });
        var answer = await refused.ReadUntilClosedAsync();
        Assert.Equal(ErrorCode.NotOwner, Assert.Single(answer).Error!.Code);
    }

    [Fact]
    public async Task Sigterm_drains_the_shard_moves_its_couples_and_exits_0()
    {
        var couple = ShardCluster.CoupleOwnedBy("sb", Both, ShardCluster.NewCouple("c-term"));
        var a = await _cluster.StartAsync("sa");
        var b = await _cluster.StartAsync("sb");
        var (device, _) = await ConnectWhenOwnedAsync(b, couple);
        await using var _d = device;

        b.Terminate();

        var ended = await device.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ErrorCode.NotOwner, Assert.Single(ended, p => p.Kind == PacketKind.Error).Error!.Code);
        Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var (again, _) = await ConnectWhenOwnedAsync(a, couple);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Admin_endpoints_show_the_ring_and_readiness_and_POST_drain_exits_0()
    {
        var a = await _cluster.StartAsync("sa");
        var b = await _cluster.StartAsync("sb");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var ring = await WaitForRingAsync(http, a, members: 2);
        Assert.Equal("sa", ring.RootElement.GetProperty("shardId").GetString());
        Assert.True(ring.RootElement.GetProperty("inRing").GetBoolean());
        Assert.Equal(a.Direct.ToString(), ring.RootElement.GetProperty("direct").GetString());
        var ready = await http.GetAsync(new Uri(a.Admin, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var metrics = await http.GetStringAsync(new Uri(a.Admin, "/metrics"));
        Assert.Contains("chat_shard_connections", metrics);

        var drain = await http.PostAsync(new Uri(b.Admin, "/admin/drain"), null);
        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        Assert.Equal(0, await b.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        using var after = await WaitForRingAsync(http, a, members: 1);
    }

    private async Task<(ChatTestClient Client, AuthOk AuthOk)> ConnectWhenOwnedAsync(ShardProcess shard, string couple)
    {
        // The shard learns the ring by watch a few ms after a change: retry NotOwner for a bounded time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                return await ChatTestClient.ConnectAndAuthAsync(shard.Direct, _cluster.Keys.Token("alice", couple), "phone");
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<JsonDocument> WaitForRingAsync(HttpClient http, ShardProcess shard, int members)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var ring = await http.GetFromJsonAsync<JsonDocument>(new Uri(shard.Admin, "/admin/ring"));
            if (ring!.RootElement.GetProperty("members").GetArrayLength() == members)
            {
                return ring;
            }

            ring.Dispose();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the ring of {shard.ShardId} never had {members} members");
            }

            await Task.Delay(100);
        }
    }
}
