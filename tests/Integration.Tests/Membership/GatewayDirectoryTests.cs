using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Tests.Integration.ZooKeeper;
using Chat.Tests.Shared;
using Xunit.Abstractions;
using static Chat.Tests.Integration.ZooKeeper.ZooKeeperTestKit;

namespace Chat.Tests.Integration.Membership;

/// <summary>The watched list of /chat/gateways against the real ZooKeeper, with real registrations.</summary>
public sealed class GatewayDirectoryTests(ITestOutputHelper output)
{
    private readonly string _root = UniqueRoot("gwdir");

    [Fact]
    public async Task Sees_gateways_join_with_their_weights_refresh_their_data_and_leave()
    {
        await using var reader = await ConnectedAsync(output, TestServers.ZooKeeper, "reader");
        await using var a = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-a");
        await using var b = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-b");
        var loadA = new LoadBox(new GatewayLoad(10, 0.1, 90, false));
        var loadB = new LoadBox(new GatewayLoad(500, 0.7, 23, false));
        await using var gatewayA = Registration(a, "gw-a", 4431, loadA);
        await using var gatewayB = Registration(b, "gw-b", 4432, loadB);
        await using var directory = await DirectoryAsync(reader);

        Assert.Equal(MembershipResult.Ok, await gatewayA.RegisterAsync().DefaultTimeout());
        Assert.Equal(MembershipResult.Ok, await gatewayB.RegisterAsync().DefaultTimeout());
        var both = await UntilAsync(directory, s => s.Gateways.Length == 2);
        Assert.Equal(["gw-a", "gw-b"], both.Gateways.Select(g => g.Id));
        Assert.Equal(new GatewayNodeData("gw-a.example", 4431, "http://127.0.0.1:9100/", 10, 0.1, 90, false), both.Find("gw-a")!.Data);
        Assert.Equal(23, both.Find("gw-b")!.Data.Weight);

        // A refresh (new load on gw-b's next timer tick) is seen through the data watch.
        loadB.Set(new GatewayLoad(800, 0.9, 0, true));
        var refreshed = await UntilAsync(directory, s => s.Find("gw-b")?.Data.Draining == true);
        Assert.Equal((800, 0), (refreshed.Find("gw-b")!.Data.Connections, refreshed.Find("gw-b")!.Data.Weight));
        Assert.Equal(90, refreshed.Find("gw-a")!.Data.Weight);

        Assert.Equal(MembershipResult.Ok, await gatewayB.DeregisterAsync().DefaultTimeout());
        var one = await UntilAsync(directory, s => s.Gateways.Length == 1);
        Assert.Equal("gw-a", one.Gateways.Single().Id);
        Assert.True(one.Version > both.Version);
    }

    [Fact]
    public async Task A_gateway_whose_session_ends_leaves_the_list()
    {
        await using var reader = await ConnectedAsync(output, TestServers.ZooKeeper, "reader");
        var gatewayClient = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-a");
        var gateway = Registration(gatewayClient, "gw-a", 4431, new LoadBox(new GatewayLoad(1, 0, 100, false)));
        await gateway.RegisterAsync().DefaultTimeout();
        await using var directory = await DirectoryAsync(reader);
        await UntilAsync(directory, s => s.Gateways.Length == 1);

        // Closing the session deletes its ephemeral node, as a crash does after the session timeout.
        await gateway.DisposeAsync();
        await gatewayClient.DisposeAsync();
        await UntilAsync(directory, s => s.Gateways.IsEmpty);
    }

    [Fact]
    public async Task Reads_a_missing_root_as_no_gateways_and_notices_when_it_appears()
    {
        await using var reader = await ConnectedAsync(output, TestServers.ZooKeeper, "reader");
        await using var directory = await DirectoryAsync(reader);
        Assert.Empty(directory.Current.Gateways);
        Assert.Equal(ZooKeeperError.NoNode, (await reader.ExistsAsync(_root).DefaultTimeout()).Error);

        await using var a = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-a");
        await using var gateway = Registration(a, "gw-a", 4431, new LoadBox(new GatewayLoad(1, 0, 100, false)));
        await gateway.RegisterAsync().DefaultTimeout();
        await UntilAsync(directory, s => s.Gateways.Length == 1);
    }

    [Fact]
    public async Task Leaves_out_a_node_with_bad_data_and_takes_it_once_fixed()
    {
        await using var reader = await ConnectedAsync(output, TestServers.ZooKeeper, "reader");
        await CreatePathAsync(reader, _root + "/gateways");
        await reader.CreateAsync(_root + "/gateways/odd", Utf8("{\"host\":\"\",\"port\":0}"), CreateMode.Ephemeral).DefaultTimeout();
        await reader.CreateAsync(_root + "/gateways/not a valid id", Utf8("{}"), CreateMode.Ephemeral).DefaultTimeout();
        await using var directory = await DirectoryAsync(reader);
        Assert.Empty(directory.Current.Gateways);

        var good = MembershipJson.Encode(new GatewayNodeData("odd.example", 443, null, 0, 0, 100, false));
        Assert.True((await reader.SetDataAsync(_root + "/gateways/odd", good).DefaultTimeout()).IsOk);
        var fixedUp = await UntilAsync(directory, s => s.Gateways.Length == 1);
        Assert.Equal("odd.example", fixedUp.Gateways.Single().Data.Host);
    }

    [Fact]
    public async Task Re_reads_everything_after_its_session_expired()
    {
        await using var reader = await ConnectedAsync(output, TestServers.ZooKeeper, "reader");
        await using var a = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-a");
        await using var gateway = Registration(a, "gw-a", 4431, new LoadBox(new GatewayLoad(1, 0, 100, false)));
        await gateway.RegisterAsync().DefaultTimeout();
        await using var directory = await DirectoryAsync(reader);
        await UntilAsync(directory, s => s.Gateways.Length == 1);

        await ExpireSessionAsync(reader, TestServers.ZooKeeper);
        await using var b = await ConnectedAsync(output, TestServers.ZooKeeper, "gw-b");
        await using var second = Registration(b, "gw-b", 4432, new LoadBox(new GatewayLoad(1, 0, 100, false)));
        await second.RegisterAsync().DefaultTimeout();
        await UntilAsync(directory, s => s.Gateways.Length == 2);
    }

    private static async Task<GatewayDirectorySnapshot> UntilAsync(GatewayDirectory directory, Func<GatewayDirectorySnapshot, bool> predicate)
    {
        var snapshot = await directory.WaitForAsync(predicate, TestTimeout);
        Assert.True(snapshot is not null, $"gateways never matched; last: [{string.Join(", ", directory.Current.Gateways.Select(g => g.Id + ":" + g.Data.Weight))}]");
        return snapshot;
    }

    private async Task<GatewayDirectory> DirectoryAsync(ZooKeeperClient client)
    {
        var directory = new GatewayDirectory(
            client,
            new GatewayDirectoryOptions { Root = _root, RetryDelay = TimeSpan.FromMilliseconds(200) },
            new TestLogger<GatewayDirectory>(output, "directory"));
        using var bound = new CancellationTokenSource(TestTimeout);
        Assert.True(await directory.StartAsync(bound.Token));
        return directory;
    }

    private GatewayRegistration Registration(ZooKeeperClient client, string id, int port, LoadBox load) => new(
        client,
        new GatewayRegistrationOptions
        {
            Root = _root,
            GatewayId = id,
            Host = id + ".example",
            Port = port,
            AdminUrl = "http://127.0.0.1:9100/",
            RefreshInterval = TimeSpan.FromMilliseconds(100),
            RetryDelay = TimeSpan.FromMilliseconds(100),
        },
        load.Get,
        new TestLogger<GatewayRegistration>(output, id));

    private sealed class LoadBox(GatewayLoad initial)
    {
        private readonly Lock _lock = new();
        private GatewayLoad _load = initial;

        public GatewayLoad Get()
        {
            lock (_lock)
            {
                return _load;
            }
        }

        public void Set(GatewayLoad load)
        {
            lock (_lock)
            {
                _load = load;
            }
        }
    }
}
