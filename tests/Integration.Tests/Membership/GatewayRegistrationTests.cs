using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>The gateway's node: created with its load, refreshed on a timer, re-created after expiry.</summary>
public sealed class GatewayRegistrationTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("gw");
    private readonly Lock _loadLock = new();
    private GatewayLoad _load = new(Connections: 10, Cpu: 0.25, Weight: 100, Draining: false);

    [Fact]
    public async Task Publishes_its_load_and_refreshes_it_on_the_timer()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var gateway = Registration(client);
        Assert.Equal(MembershipResult.Ok, await gateway.RegisterAsync().DefaultTimeout());
        Assert.True(gateway.IsRegistered);
        var first = await ReadAsync(client);
        Assert.Equal(new GatewayNodeData("gw.example", 443, "http://127.0.0.1:9100/", 10, 0.25, 100, false), first.Data);
        Assert.Equal(client.SessionId, first.Owner);

        lock (_loadLock)
        {
            _load = new GatewayLoad(Connections: 1234, Cpu: 1.7, Weight: 0, Draining: true);
        }

        Assert.True(await EventuallyAsync(async () => (await ReadAsync(client)).Data.Connections == 1234));
        var refreshed = await ReadAsync(client);
        Assert.Equal(1.0, refreshed.Data.Cpu);
        Assert.True(refreshed.Data.Draining);
        Assert.Equal(0, refreshed.Data.Weight);
        Assert.Equal(refreshed.Data, gateway.Published);

        Assert.Equal(MembershipResult.Ok, await gateway.DeregisterAsync().DefaultTimeout());
        Assert.Equal(ZooKeeperError.NoNode, (await client.ExistsAsync(_root + "/gateways/gw-1").DefaultTimeout()).Error);
    }

    [Fact]
    public async Task Is_re_created_with_the_new_session_after_expiry()
    {
        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var gateway = Registration(client);
        await gateway.RegisterAsync().DefaultTimeout();
        var oldSession = client.SessionId;

        await ExpireSessionAsync(client, TestServers.ZooKeeper);
        Assert.True(await EventuallyAsync(async () =>
        {
            var stat = await client.ExistsAsync(_root + "/gateways/gw-1");
            return stat.IsOk && stat.Value!.EphemeralOwner == client.SessionId && client.SessionId != oldSession;
        }));
        Assert.True(gateway.IsRegistered);
    }

    [Fact]
    public async Task Never_overwrites_a_node_of_another_session()
    {
        await using var other = await ConnectedAsync(output, TestServers.ZooKeeper, "other");
        await CreatePathAsync(other, _root + "/gateways");
        await other.CreateAsync(_root + "/gateways/gw-1", Utf8("{}"), CreateMode.Ephemeral).DefaultTimeout();

        await using var client = await ConnectedAsync(output, TestServers.ZooKeeper);
        await using var gateway = Registration(client);
        Assert.Equal(MembershipResult.OwnedByAnotherSession, await gateway.RegisterAsync().DefaultTimeout());
        Assert.Equal("{}", Text((await client.GetDataAsync(_root + "/gateways/gw-1").DefaultTimeout()).Value!.Data));
    }

    private GatewayRegistration Registration(ZooKeeperClient client) => new(
        client,
        new GatewayRegistrationOptions
        {
            Root = _root,
            GatewayId = "gw-1",
            Host = "gw.example",
            Port = 443,
            AdminUrl = "http://127.0.0.1:9100/",
            RefreshInterval = TimeSpan.FromMilliseconds(100),
            RetryDelay = TimeSpan.FromMilliseconds(100),
        },
        () =>
        {
            lock (_loadLock)
            {
                return _load;
            }
        },
        new TestLogger<GatewayRegistration>(output, "gw-1"));

    private async Task<(GatewayNodeData Data, long Owner)> ReadAsync(ZooKeeperClient client)
    {
        var node = await client.GetDataAsync(_root + "/gateways/gw-1").DefaultTimeout();
        Assert.True(node.IsOk, $"gateway node: {node.Error}");
        var data = MembershipJson.TryParseGateway(node.Value!.Data.Span, out var error);
        Assert.True(data is not null, error);
        return (data, node.Value.Stat.EphemeralOwner);
    }
}
