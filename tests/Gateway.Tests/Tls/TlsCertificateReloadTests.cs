using System.Security.Authentication;

using Chat.Gateway.Tls;
namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsCertificateReloadTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task New_files_reach_new_connections_while_old_ones_keep_working_and_a_bad_file_is_ignored(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        string first = certificates.WriteSeparate(TestKeyKind.EcdsaP256, "CN=first");
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            Assert.Equal(first, server.Engine.Certificate.Thumbprint);
            Assert.Equal(1, server.Engine.Certificate.Generation);
            using TestClient old = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            Assert.Equal(first, old.ServerThumbprint);

            // A new certificate with another key type, written as an operator (or cert-manager) would.
            string second = certificates.WriteSeparate(TestKeyKind.Rsa2048, "CN=second");
            await TlsTestServer.WaitUntilAsync(() => server.Engine.Certificate.Thumbprint == second, "the engine reloaded the certificate");
            Assert.Equal("RSA-2048", server.Engine.Certificate.KeyAlgorithm);
            using (TestClient fresh = await server.ConnectAsync(SslProtocols.Tls13, cts.Token))
            {
                Assert.Equal(second, fresh.ServerThumbprint);
                Assert.Equal("new"u8.ToArray(), await fresh.EchoAsync("new"u8.ToArray(), cts.Token));
            }

            Assert.Equal("old"u8.ToArray(), await old.EchoAsync("old"u8.ToArray(), cts.Token));

            // A broken certificate file: logged and counted, the second certificate stays.
            long failedBefore = server.Meters.Sum("chat.gateway.tls.certificate.reloads", ("outcome", "failed"));
            TestCertificates.WriteAtomically(certificates.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
            await TlsTestServer.WaitUntilAsync(
                () => server.Meters.Sum("chat.gateway.tls.certificate.reloads", ("outcome", "failed")) > failedBefore,
                "the bad file was tried");
            Assert.Equal(second, server.Engine.Certificate.Thumbprint);
            // The failure is counted before it is logged: wait for the log line too.
            await TlsTestServer.WaitUntilAsync(() => server.Log.Count(4011) >= 1, "the failed reload was logged");
            using (TestClient afterBadFile = await server.ConnectAsync(SslProtocols.Tls12, cts.Token))
            {
                Assert.Equal(second, afterBadFile.ServerThumbprint);
            }

            Assert.Equal("still"u8.ToArray(), await old.EchoAsync("still"u8.ToArray(), cts.Token));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Polling_alone_picks_up_a_change(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteCombined(TestKeyKind.EcdsaP256);
        var options = TlsTestServer.Options(engine, certificates.CombinedPath);
        options.CertificateReloadDelay = TimeSpan.FromMinutes(1); // a watcher event alone would wait a minute
        options.CertificatePollInterval = TimeSpan.FromMilliseconds(100);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            string second = certificates.WriteCombined(TestKeyKind.EcdsaP256);
            await TlsTestServer.WaitUntilAsync(() => server.Engine.Certificate.Thumbprint == second, "the poll reloaded the certificate");
            Assert.Equal(2, server.Engine.Certificate.Generation);
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }
}
