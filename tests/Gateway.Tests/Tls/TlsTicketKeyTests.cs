using Chat.Gateway.Tls;

namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Ticket keys shared through a file (OpenSsl engine): a session from one gateway resumes on another
/// that reads the same file; rotation keeps old tickets working while their key is in the file.
/// Two engines in one process stand for two gateways: they share nothing but the file.
/// </summary>
[Collection("Tls")]
public sealed class TlsTicketKeyTests
{
    [Theory]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task A_session_from_one_gateway_resumes_on_another_and_survives_one_rotation(string version)
    {
        using var certificates = new TestCertificates();
        certificates.WriteSeparate(TestKeyKind.EcdsaP256);
        string keys = Path.Combine(certificates.Directory, "ticket.keys");
        string otherKeys = Path.Combine(certificates.Directory, "other.keys");
        TicketKeyFiles.Write(keys, 1, 2);
        TicketKeyFiles.Write(otherKeys, 3);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using TlsTestServer a = await TlsTestServer.StartAsync(Options(certificates, keys));
        await using TlsTestServer b = await TlsTestServer.StartAsync(Options(certificates, keys));
        await using TlsTestServer c = await TlsTestServer.StartAsync(Options(certificates, otherKeys));
        string session = Path.Combine(certificates.Directory, "session.pem");

        Assert.Contains("New, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(a.Port, $"{version} -sess_out {session}", cts.Token), StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(b.Port, $"{version} -sess_in {session}", cts.Token), StringComparison.Ordinal);
        Assert.Contains("New, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(c.Port, $"{version} -sess_in {session}", cts.Token), StringComparison.Ordinal);
        Assert.Equal(1, b.Meters.Sum("chat.gateway.tls.tickets", ("outcome", "accepted")));
        Assert.Equal(1, c.Meters.Sum("chat.gateway.tls.tickets", ("outcome", "unknown_key")));

        // Rotation: key 2 (already known everywhere) encrypts now, key 1 only decrypts.
        TicketKeyFiles.Write(keys, 2, 1);
        await TlsTestServer.WaitUntilAsync(() => b.Meters.Sum("chat.gateway.tls.ticket_keys.reloads", ("outcome", "succeeded")) == 1, "b reloaded the key file");
        Assert.Contains("Reused, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(b.Port, $"{version} -sess_in {session}", cts.Token), StringComparison.Ordinal);
        Assert.Equal(1, b.Meters.Sum("chat.gateway.tls.tickets", ("outcome", "accepted_old_key")));

        // Key 1 leaves the file: its tickets cost a full handshake, nothing worse.
        TicketKeyFiles.Write(keys, 2);
        await TlsTestServer.WaitUntilAsync(() => b.Meters.Sum("chat.gateway.tls.ticket_keys.reloads", ("outcome", "succeeded")) == 2, "b reloaded the key file again");
        Assert.Contains("New, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(b.Port, $"{version} -sess_in {session}", cts.Token), StringComparison.Ordinal);
        Assert.Equal(1, b.Meters.Sum("chat.gateway.tls.tickets", ("outcome", "unknown_key")));

        // A broken file keeps the keys in use.
        TestCertificates.WriteAtomically(keys, "not a key\n");
        await TlsTestServer.WaitUntilAsync(() => b.Meters.Sum("chat.gateway.tls.ticket_keys.reloads", ("outcome", "failed")) == 1, "b tried the broken file");
        string fresh = Path.Combine(certificates.Directory, "fresh.pem");
        Assert.Contains("New, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(b.Port, $"{version} -sess_out {fresh}", cts.Token), StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1", await TlsResumptionTests.RunOpenSslClientAsync(b.Port, $"{version} -sess_in {fresh}", cts.Token), StringComparison.Ordinal);

        foreach (TlsTestServer server in new[] { a, b, c })
        {
            server.Log.AssertNoErrors();
        }
    }

    private static TlsOptions Options(TestCertificates certificates, string keys)
    {
        TlsOptions options = TlsTestServer.Options(TlsEngineKind.OpenSsl, certificates.CertificatePath, certificates.KeyPath);
        options.TicketKeyFile = keys;
        return options;
    }
}
