using Chat.Client;
using Chat.Tests.Client.Support;

namespace Chat.Tests.Client.Behaviour;

/// <summary>TLS to a gateway whose certificate chains to a pinned CA.</summary>
public class TlsTests
{
    [Fact]
    public async Task A_server_certificate_from_the_pinned_CA_is_accepted()
    {
        using var ca = TestCertificates.CreateCa("Chat Test CA");
        using var certificate = TestCertificates.CreateServer(ca);
        await using var server = new ScriptedServer(certificate);
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with
        {
            UseTls = true,
            TlsServerName = TestCertificates.ServerName,
            PinnedCaCertificate = ca,
        });
        var connect = client.ConnectAsync();
        await (await server.AcceptAsync()).AcceptAuthAsync();
        Assert.Equal(ConnectStatus.Connected, (await connect.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_refused()
    {
        using var ca = TestCertificates.CreateCa("Chat Test CA");
        using var otherCa = TestCertificates.CreateCa("Some Other CA");
        using var certificate = TestCertificates.CreateServer(otherCa);
        await using var server = new ScriptedServer(certificate);
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with
        {
            UseTls = true,
            TlsServerName = TestCertificates.ServerName,
            PinnedCaCertificate = ca,
        });
        var events = new ClientEvents(client);
        using var give = new CancellationTokenSource();
        var connect = client.ConnectAsync(give.Token);
        await events.WaitForStateAsync(ConnectionState.Connecting, DisconnectReason.TlsFailed);
        Assert.Equal(ConnectionState.Connecting, client.State);
        await give.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.DefaultTimeout());
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused()
    {
        using var ca = TestCertificates.CreateCa("Chat Test CA");
        using var certificate = TestCertificates.CreateServer(ca);
        await using var server = new ScriptedServer(certificate);
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with
        {
            UseTls = true,
            TlsServerName = "other.test",
            PinnedCaCertificate = ca,
        });
        var events = new ClientEvents(client);
        _ = client.ConnectAsync();
        await events.WaitForStateAsync(ConnectionState.Connecting, DisconnectReason.TlsFailed);
    }
}
