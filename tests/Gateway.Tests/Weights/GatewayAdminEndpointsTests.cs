using System.Net.Http.Json;
using System.Text.Json;
using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;
using Chat.Gateway.Weights;
using Chat.Tests.Gateway.Support;
using Chat.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Gateway.Weights;

/// <summary>GET /admin/weights on a real admin host, reading two real registrations from the real ZooKeeper.</summary>
public sealed class GatewayAdminEndpointsTests
{
    private readonly string _root = $"/gwweights-{Guid.NewGuid():N}";

    [Fact]
    public async Task Lists_every_gateway_with_its_address_and_weight()
    {
        await using var zk = await ConnectAsync();
        await using var other = await ConnectAsync();
        var samplerA = new GatewayLoadSampler(() => 1_000, new WeightOptions { ConnectionCapacity = 2_000 }, processorTime: () => TimeSpan.Zero);
        await using var gatewayA = Registration(zk, "gw-a", samplerA.Sample);
        await using var gatewayB = Registration(other, "gw-b", () => new GatewayLoad(7, 0.25, 0, true));
        Assert.Equal(MembershipResult.Ok, await gatewayA.RegisterAsync().DefaultTimeout());
        Assert.Equal(MembershipResult.Ok, await gatewayB.RegisterAsync().DefaultTimeout());

        await using var directory = new GatewayDirectory(zk, new GatewayDirectoryOptions { Root = _root });
        Assert.True(await directory.StartAsync().DefaultTimeout());
        Assert.NotNull(await directory.WaitForAsync(s => s.Gateways.Length == 2, Eventually.Bound));

        await using var host = await AdminHost.StartAsync(_ => { }, app => app.MapGatewayAdminEndpoints(() => directory.Current));
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = Eventually.Bound };
        var response = await http.GetAsync("/admin/weights");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var first = json.RootElement[0];
        Assert.Equal("gw-a", first.GetProperty("id").GetString());
        Assert.Equal("gw-a.example", first.GetProperty("host").GetString());
        Assert.Equal(443, first.GetProperty("port").GetInt32());
        Assert.Equal(50, first.GetProperty("weight").GetInt32());
        Assert.Equal(1_000, first.GetProperty("connections").GetInt32());
        Assert.False(first.GetProperty("draining").GetBoolean());

        var weights = await http.GetFromJsonAsync<GatewayWeight[]>("/admin/weights", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(new GatewayWeight("gw-b", "gw-b.example", 443, 0, 7, 0.25, true, "http://127.0.0.1:9100/"), weights![1]);
    }

    [Fact]
    public void An_empty_directory_is_an_empty_list() => Assert.Empty(GatewayAdminEndpoints.ToWeights(GatewayDirectorySnapshot.Empty));

    private static async Task<ZooKeeperClient> ConnectAsync()
    {
        var client = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = TestServers.ZooKeeper, SessionTimeout = TimeSpan.FromSeconds(4) });
        Assert.Equal(ZooKeeperError.Ok, await client.ConnectAsync(Eventually.Bound));
        return client;
    }

    private GatewayRegistration Registration(ZooKeeperClient client, string id, Func<GatewayLoad> load) => new(
        client,
        new GatewayRegistrationOptions { Root = _root, GatewayId = id, Host = id + ".example", Port = 443, AdminUrl = "http://127.0.0.1:9100/" },
        load);
}
