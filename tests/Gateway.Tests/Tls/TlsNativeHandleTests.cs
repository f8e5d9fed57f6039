using System.Security.Authentication;
using Chat.Gateway.Tls;
using Chat.Gateway.Tls.OpenSsl.Interop;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsNativeHandleTests
{
    [Fact]
    public async Task Every_native_SSL_is_freed_when_its_connection_closes_cleanly_or_not()
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(TlsEngineKind.OpenSsl, certificates.CertificatePath, certificates.KeyPath)))
        {
            await TlsTestServer.WaitUntilAsync(() => NativeHandleCounts.Connections == 0, "no SSL left from earlier tests");
            var clients = new List<TestClient>();
            for (int i = 0; i < 50; i++)
            {
                TestClient client = await server.ConnectAsync(i % 2 == 0 ? SslProtocols.Tls13 : SslProtocols.Tls12, cts.Token);
                await client.EchoAsync([(byte)i], cts.Token);
                clients.Add(client);
            }

            Assert.Equal(50, NativeHandleCounts.Connections);
            for (int i = 0; i < clients.Count; i++)
            {
                if (i % 3 == 0)
                {
                    // A clean close from the client: close_notify both ways.
                    await clients[i].Ssl.ShutdownAsync().WaitAsync(cts.Token);
                }

                clients[i].Dispose();
            }

            await TlsTestServer.WaitUntilAsync(() => NativeHandleCounts.Connections == 0, "every SSL freed");
            await TlsTestServer.WaitUntilAsync(() => server.Meters.Sum("chat.gateway.tls.connections.active") == 0, "the active count back to zero");
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }
}
