using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Chat.Gateway.Tls;

namespace Chat.Tests.Gateway.Tls;

[Collection("Tls")]
public sealed class TlsHandshakeFailureTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task Garbage_instead_of_a_ClientHello_closes_that_connection_and_others_still_work(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            using (var raw = new TcpClient())
            {
                await raw.ConnectAsync(IPAddress.Loopback, server.Port, cts.Token);
                byte[] garbage = new byte[1024];
                new Random(7).NextBytes(garbage);
                "GET / HTTP/1.1\r\n"u8.CopyTo(garbage);
                await raw.GetStream().WriteAsync(garbage, cts.Token);
                await ReadUntilClosedAsync(raw, cts.Token);
            }

            using (TestClient client = await server.ConnectAsync(SslProtocols.Tls13, cts.Token))
            {
                Assert.Equal("still fine"u8.ToArray(), await client.EchoAsync("still fine"u8.ToArray(), cts.Token));
            }

            await TlsTestServer.WaitUntilAsync(() => server.Handshakes.Count == 2, "both handshake events arrived");
            Assert.Equal([TlsHandshakeOutcome.Failed, TlsHandshakeOutcome.Succeeded], server.Handshakes.Select(h => h.Outcome));
            Assert.Equal(1, server.Meters.Sum("chat.gateway.tls.handshakes", ("outcome", "failed")));
            Assert.Equal(1, server.Log.Count(4000));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task A_silent_client_and_a_slow_one_are_closed_after_the_handshake_timeout(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        TlsOptions options = TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath);
        options.HandshakeTimeout = TimeSpan.FromMilliseconds(300);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(options))
        {
            using var silent = new TcpClient();
            await silent.ConnectAsync(IPAddress.Loopback, server.Port, cts.Token);
            using var slow = new TcpClient();
            await slow.ConnectAsync(IPAddress.Loopback, server.Port, cts.Token);

            // The first bytes of a TLS record header (handshake, TLS 1.0 record version), then nothing.
            await slow.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01 }, cts.Token);

            await Task.WhenAll(ReadUntilClosedAsync(silent, cts.Token), ReadUntilClosedAsync(slow, cts.Token));
            await TlsTestServer.WaitUntilAsync(() => server.Handshakes.Count == 2, "both handshake events arrived");
            Assert.All(server.Handshakes, h => Assert.Equal(TlsHandshakeOutcome.TimedOut, h.Outcome));
            Assert.Equal(2, server.Meters.Sum("chat.gateway.tls.handshakes", ("outcome", "timed_out")));
            Assert.Equal(0, server.Meters.Sum("chat.gateway.tls.handshakes", ("outcome", "failed")));
            Assert.Equal(2, server.Log.Count(4001));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    /// <summary>Reads until the server closes (end of stream or reset); fails on the token's timeout.</summary>
    internal static async Task ReadUntilClosedAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            // A reset is a close too (the server may close with unread input).
        }
    }
}
