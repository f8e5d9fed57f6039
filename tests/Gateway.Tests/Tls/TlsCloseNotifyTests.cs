using System.Security.Authentication;
using DotNetty.Transport.Channels;

using Chat.Gateway.Tls;
namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsCloseNotifyTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.SslStream, SslProtocols.Tls12)]
    [InlineData(TlsEngineKind.OpenSsl, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.OpenSsl, SslProtocols.Tls12)]
    public async Task A_server_close_sends_close_notify_so_the_client_sees_a_clean_end(TlsEngineKind engine, SslProtocols protocol)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            using TestClient client = await server.ConnectAsync(protocol, cts.Token);
            Assert.Equal("x"u8.ToArray(), await client.EchoAsync("x"u8.ToArray(), cts.Token));
            IChannel channel = Assert.Single(server.Channels);
            await channel.CloseAsync().WaitAsync(cts.Token);

            Assert.Equal(0, await client.Ssl.ReadAsync(new byte[16], cts.Token));
            AssertLastRecordIsCloseNotify(client, protocol);
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task A_client_close_notify_is_answered_with_close_notify(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            Assert.Equal("y"u8.ToArray(), await client.EchoAsync("y"u8.ToArray(), cts.Token));
            await client.Ssl.ShutdownAsync().WaitAsync(cts.Token);
            Assert.Equal(0, await client.Ssl.ReadAsync(new byte[16], cts.Token));
            AssertLastRecordIsCloseNotify(client, SslProtocols.Tls13);
            IChannel channel = Assert.Single(server.Channels);
            await TlsTestServer.WaitUntilAsync(() => !channel.Active, "the server closed its side");
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    /// <summary>
    /// SslStream also returns 0 on a bare FIN at a record boundary, so the wire is checked: the
    /// last record must be an alert. TLS 1.2 shows the alert type (21); TLS 1.3 hides it inside an
    /// application_data record, whose length gives it away: 2 alert bytes + 1 inner type + 16 tag.
    /// </summary>
    private static void AssertLastRecordIsCloseNotify(TestClient client, SslProtocols protocol)
    {
        (byte type, int length) = client.Wire.Records()[^1];
        if (protocol == SslProtocols.Tls12)
        {
            Assert.Equal(21, type);
        }
        else
        {
            Assert.Equal((23, 19), (type, length));
        }
    }
}
