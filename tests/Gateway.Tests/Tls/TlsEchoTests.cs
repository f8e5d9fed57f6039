using System.Security.Authentication;
using Chat.Gateway.Tls;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsEchoTests
{
    private static readonly SslProtocols[] Protocols = [SslProtocols.Tls12, SslProtocols.Tls13, SslProtocols.Tls13, SslProtocols.Tls13];

    private static readonly int[] FrameSizes = [1, 2, 100, 1000, 4095, 4096, 4097, 16383, 16384, 16385, 32768, 65535, 65536];

    [Theory]
    [InlineData(TlsEngineKind.SslStream, TestKeyKind.EcdsaP256, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.SslStream, TestKeyKind.EcdsaP256, SslProtocols.Tls12)]
    [InlineData(TlsEngineKind.SslStream, TestKeyKind.Rsa2048, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.SslStream, TestKeyKind.Rsa2048, SslProtocols.Tls12)]
    [InlineData(TlsEngineKind.OpenSsl, TestKeyKind.EcdsaP256, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.OpenSsl, TestKeyKind.EcdsaP256, SslProtocols.Tls12)]
    [InlineData(TlsEngineKind.OpenSsl, TestKeyKind.Rsa2048, SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.OpenSsl, TestKeyKind.Rsa2048, SslProtocols.Tls12)]
    public async Task Frames_from_1_byte_to_64_KiB_come_back_intact(TlsEngineKind engine, TestKeyKind kind, SslProtocols protocol)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(kind);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            using (TestClient client = await server.ConnectAsync(protocol, cts.Token))
            {
                Assert.Equal(protocol, client.Ssl.SslProtocol);
                Assert.Equal(server.Engine.Certificate.Thumbprint, client.ServerThumbprint);
                var random = new Random(42);
                foreach (int size in FrameSizes)
                {
                    byte[] frame = new byte[size];
                    random.NextBytes(frame);
                    Assert.Equal(frame, await client.EchoAsync(frame, cts.Token));
                }
            }

            await TlsTestServer.WaitUntilAsync(() => !server.Handshakes.IsEmpty, "the handshake event arrived");
            TlsHandshakeCompletedEvent handshake = Assert.Single(server.Handshakes);
            Assert.True(handshake.IsSuccess);
            Assert.Equal(protocol, handshake.Protocol);
            Assert.Equal(1, server.Meters.Sum("chat.gateway.tls.handshakes", ("outcome", "succeeded"), ("protocol", protocol == SslProtocols.Tls13 ? "tls1.3" : "tls1.2")));
            await TlsTestServer.WaitUntilAsync(() => server.Meters.Sum("chat.gateway.tls.connections.active") == 0, "the closed connection left the active count");
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Certificate_and_key_in_one_PEM_file_work(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        string thumbprint = certificates.WriteCombined(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CombinedPath)))
        {
            using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token);
            Assert.Equal(thumbprint, client.ServerThumbprint);
            Assert.Equal("hello"u8.ToArray(), await client.EchoAsync("hello"u8.ToArray(), cts.Token));
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Two_hundred_concurrent_clients_each_echo_several_frames(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            const int clients = 200;
            const int echoes = 5;
            int ok = 0;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async id =>
            {
                var random = new Random(id);
                SslProtocols protocol = Protocols[id % Protocols.Length];
                using TestClient client = await server.ConnectAsync(protocol, cts.Token);
                for (int i = 0; i < echoes; i++)
                {
                    byte[] frame = new byte[random.Next(1, 20_000)];
                    random.NextBytes(frame);
                    Assert.Equal(frame, await client.EchoAsync(frame, cts.Token));
                }

                Interlocked.Increment(ref ok);
            })).WaitAsync(cts.Token);

            Assert.Equal(clients, ok);
            await TlsTestServer.WaitUntilAsync(() => server.Handshakes.Count == clients, "every handshake event arrived");
            Assert.All(server.Handshakes, h => Assert.True(h.IsSuccess));
            await TlsTestServer.WaitUntilAsync(() => server.Meters.Sum("chat.gateway.tls.connections.active") == 0, "every connection closed");
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }
}
