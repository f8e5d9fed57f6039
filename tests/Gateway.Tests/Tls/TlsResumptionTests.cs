using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Chat.Gateway.Tls;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Session resumption, checked from both ends: the client's view (openssl s_client prints "Reused")
/// and the server's (<see cref="TlsHandshakeCompletedEvent.Resumed"/>, read from the ServerHello).
/// </summary>
[Collection("Tls")]
public sealed class TlsResumptionTests
{
    [Theory]
    [InlineData(TlsEngineKind.SslStream, "-tls1_3", SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.SslStream, "-tls1_2", SslProtocols.Tls12)]
    [InlineData(TlsEngineKind.OpenSsl, "-tls1_3", SslProtocols.Tls13)]
    [InlineData(TlsEngineKind.OpenSsl, "-tls1_2", SslProtocols.Tls12)]
    public async Task An_openssl_client_resumes_its_session_and_the_server_sees_it(TlsEngineKind engine, string version, SslProtocols protocol)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            string session = Path.Combine(certificates.Directory, "session.pem");
            string first = await RunOpenSslClientAsync(server.Port, $"{version} -sess_out {session}", cts.Token);
            Assert.Contains("New, TLSv1", first, StringComparison.Ordinal);
            string second = await RunOpenSslClientAsync(server.Port, $"{version} -sess_in {session}", cts.Token);
            Assert.Contains("Reused, TLSv1", second, StringComparison.Ordinal);

            await TlsTestServer.WaitUntilAsync(() => server.Handshakes.Count == 2, "both handshake events arrived");
            Assert.Equal([false, true], server.Handshakes.Select(h => h.Resumed));
            Assert.All(server.Handshakes, h => Assert.Equal(protocol, h.Protocol));
            Assert.Equal(1, server.Meters.Sum("chat.gateway.tls.handshakes", ("outcome", "succeeded"), ("resumed", "true")));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    [Theory]
    [InlineData(TlsEngineKind.SslStream)]
    [InlineData(TlsEngineKind.OpenSsl)]
    public async Task A_dotnet_client_reusing_its_options_resumes(TlsEngineKind engine)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        using var cts = new CancellationTokenSource(TlsTestServer.Timeout);
        await using (TlsTestServer server = await TlsTestServer.StartAsync(TlsTestServer.Options(engine, certificates.CertificatePath, certificates.KeyPath)))
        {
            var options = new SslClientAuthenticationOptions { TargetHost = "localhost" };
            for (int i = 0; i < 3; i++)
            {
                using TestClient client = await server.ConnectAsync(SslProtocols.Tls13, options, cts.Token);

                // TLS 1.3 tickets arrive after the handshake: an echo makes sure the client read them.
                Assert.Equal("t"u8.ToArray(), await client.EchoAsync("t"u8.ToArray(), cts.Token));
                await client.Ssl.ShutdownAsync().WaitAsync(cts.Token);
            }

            await TlsTestServer.WaitUntilAsync(() => server.Handshakes.Count == 3, "every handshake event arrived");
            Assert.Equal([false, true, true], server.Handshakes.Select(h => h.Resumed));
            server.Log.AssertNoErrors();
        }

        TestHygiene.AssertClean();
    }

    /// <summary>
    /// Runs s_client, sends a line and waits for its echo (so a TLS 1.3 ticket has been read), then
    /// closes its input so it says goodbye with close_notify. Returns what it printed.
    /// </summary>
    internal static async Task<string> RunOpenSslClientAsync(int port, string arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("openssl", $"s_client -connect 127.0.0.1:{port} -servername localhost {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start: the tests need the openssl command (Debian package openssl)");
        var output = new StringBuilder();
        var outputDone = Task.Run(
            async () =>
            {
                var buffer = new char[4096];
                int n;
                while ((n = await process.StandardOutput.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    lock (output)
                    {
                        output.Append(buffer, 0, n);
                    }
                }
            },
            cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteLineAsync("hello-echo".AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
            await TlsTestServer.WaitUntilAsync(
                () =>
                {
                    lock (output)
                    {
                        return output.ToString().Contains("hello-echo", StringComparison.Ordinal);
                    }
                },
                "s_client got its line echoed");
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            await outputDone;
            return output + await errors;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
