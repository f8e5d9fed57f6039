using System.Net;
using Chat.Client;
using Chat.Tests.Client.Support;

namespace Chat.Tests.Client.Behaviour;

/// <summary>ChatClientOptions.LocalAddress: the source address a load harness spreads connections over.</summary>
public class LocalAddressTests
{
    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("127.0.0.77")]
    public async Task The_connection_comes_from_the_configured_local_address(string local)
    {
        await using var server = new ScriptedServer();
        var options = TestOptions.For(server.Endpoint) with { LocalAddress = IPAddress.Parse(local) };
        await using var client = new ChatClient(options);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        Assert.Equal(IPAddress.Parse(local), connection.RemoteEndPoint.Address);
        await connection.AcceptAuthAsync();
        Assert.Equal(ConnectStatus.Connected, (await connect.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task Without_a_local_address_the_system_chooses_loopback()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        Assert.Equal(IPAddress.Loopback, connection.RemoteEndPoint.Address);
        await connection.AcceptAuthAsync();
        Assert.Equal(ConnectStatus.Connected, (await connect.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task Two_clients_on_different_source_addresses_get_distinct_connections()
    {
        await using var server = new ScriptedServer();
        var template = TestOptions.For(server.Endpoint);
        await using var first = new ChatClient(template with { LocalAddress = IPAddress.Parse("127.0.0.3") });
        await using var second = new ChatClient(template with { LocalAddress = IPAddress.Parse("127.0.0.4"), DeviceId = "phone2" });
        var connectFirst = first.ConnectAsync();
        var a = await server.AcceptAsync();
        var connectSecond = second.ConnectAsync();
        var b = await server.AcceptAsync();
        Assert.Equal(
            new[] { IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4") },
            new[] { a.RemoteEndPoint.Address, b.RemoteEndPoint.Address });
        await a.AcceptAuthAsync();
        await b.AcceptAuthAsync();
        Assert.Equal(ConnectStatus.Connected, (await connectFirst.DefaultTimeout()).Status);
        Assert.Equal(ConnectStatus.Connected, (await connectSecond.DefaultTimeout()).Status);
    }
}
