using System.Net.Security;
using System.Security.Authentication;
using Chat.Gateway.Tls;
using Chat.Gateway.Tls.OpenSsl;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsSniTests
{
    [Fact]
    public async Task The_certificate_follows_the_requested_server_name_and_reloads_on_its_own()
    {
        using var certificates = new TestCertificates();
        string fallback = certificates.WriteSeparate(TestKeyKind.EcdsaP256, "CN=default");
        string namedPath = Path.Combine(certificates.Directory, "chat.pem");
        (string certificatePem, string keyPem, string named) = TestCertificates.Create(TestKeyKind.Rsa2048, "CN=chat");
        TestCertificates.WriteAtomically(namedPath, certificatePem + "\n" + keyPem);
        TlsOptions options = TlsTestServer.Options(TlsEngineKind.OpenSsl, certificates.CertificatePath, certificates.KeyPath);
        options.Certificates.Add(new TlsServerCertificateOptions { ServerNames = ["chat.example.test", "*.eu.example.test"], CertificatePath = namedPath });
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            Assert.Equal(named, await ThumbprintForAsync(server, "chat.example.test", cts.Token));
            Assert.Equal(named, await ThumbprintForAsync(server, "CHAT.example.test", cts.Token));
            Assert.Equal(named, await ThumbprintForAsync(server, "paris.eu.example.test", cts.Token));
            Assert.Equal(fallback, await ThumbprintForAsync(server, "a.paris.eu.example.test", cts.Token));
            Assert.Equal(fallback, await ThumbprintForAsync(server, "localhost", cts.Token));
            Assert.Equal(fallback, await ThumbprintForAsync(server, "other.test", cts.Token));

            (certificatePem, keyPem, string renewed) = TestCertificates.Create(TestKeyKind.EcdsaP256, "CN=chat-renewed");
            TestCertificates.WriteAtomically(namedPath, certificatePem + "\n" + keyPem);
            var engine = (OpenSslTlsEngine)server.Engine;
            await TlsTestServer.WaitUntilAsync(() => engine.NamedCertificates[0].Thumbprint == renewed, "the named certificate reloaded");
            Assert.Equal(renewed, await ThumbprintForAsync(server, "chat.example.test", cts.Token));
            Assert.Equal(fallback, server.Engine.Certificate.Thumbprint);
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Fact]
    public void Certificates_and_ticket_keys_are_refused_for_the_SslStream_engine_and_checked_for_OpenSsl()
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        TlsOptions options = TlsTestServer.Options(TlsEngineKind.SslStream, certificates.CertificatePath, certificates.KeyPath);
        options.TicketKeyFile = Path.Combine(certificates.Directory, "ticket.keys");
        Assert.Contains("need Tls:Engine OpenSsl", options.Validate(), StringComparison.Ordinal);

        options.Engine = TlsEngineKind.OpenSsl;
        Assert.Contains("does not exist", options.Validate(), StringComparison.Ordinal);
        TestCertificates.WriteAtomically(options.TicketKeyFile, "# nothing\n");
        Assert.Contains("no key", options.Validate(), StringComparison.Ordinal);
        TestCertificates.WriteAtomically(options.TicketKeyFile, TicketKeyFiles.Key(1) + "\n" + Convert.ToBase64String(new byte[48]) + "\n");
        Assert.Contains("line 2 is not base64 of 80 bytes", options.Validate(), StringComparison.Ordinal);
        TestCertificates.WriteAtomically(options.TicketKeyFile, TicketKeyFiles.Key(1) + "\n" + TicketKeyFiles.Key(1) + "\n");
        Assert.Contains("repeats the name", options.Validate(), StringComparison.Ordinal);
        TicketKeyFiles.Write(options.TicketKeyFile, 1, 2, 3);
        Assert.Null(options.Validate());

        options.Certificates.Add(new TlsServerCertificateOptions { ServerNames = [], CertificatePath = certificates.CertificatePath, KeyPath = certificates.KeyPath });
        Assert.Contains("ServerNames needs at least one", options.Validate(), StringComparison.Ordinal);
        options.Certificates[0].ServerNames = ["bad name!"];
        Assert.Contains("is not a host name", options.Validate(), StringComparison.Ordinal);
        options.Certificates[0].ServerNames = ["a.test", "A.TEST"];
        Assert.Contains("listed twice", options.Validate(), StringComparison.Ordinal);
        options.Certificates[0].ServerNames = ["a.test", "*.b.test"];
        options.Certificates[0].KeyPath = Path.Combine(certificates.Directory, "missing.key");
        Assert.Contains("Tls:Certificates:0", options.Validate(), StringComparison.Ordinal);
        options.Certificates[0].KeyPath = certificates.KeyPath;
        Assert.Null(options.Validate());
    }

    /// <summary>Without resumption: a resumed session shows the certificate of the first connection, not the one served now.</summary>
    private static async Task<string?> ThumbprintForAsync(TlsTestServer server, string serverName, CancellationToken cancellationToken)
    {
        using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, new SslClientAuthenticationOptions { TargetHost = serverName, AllowTlsResume = false }, cancellationToken);
        Assert.Equal("sni"u8.ToArray(), await client.EchoAsync("sni"u8.ToArray(), cancellationToken));
        return client.ServerThumbprint;
    }
}
