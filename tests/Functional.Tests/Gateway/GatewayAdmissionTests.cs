using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// Admission and operations endpoints of real gateway processes: the connection limit, /readyz
/// through a drain, /admin/weights listing every gateway, and bad configuration.
/// </summary>
public sealed class GatewayAdmissionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Max_connections_refuses_the_next_connection_and_admits_again_when_one_leaves()
    {
        await using var cluster = new GatewayCluster();
        await cluster.StartShardAsync("s1");
        var gateway = await cluster.StartGatewayAsync("g1", "--max-connections", "3");

        var open = new List<ChatTestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add(await ChatTestClient.ConnectTlsAsync(gateway.Clients, cluster.Certificate.Ca));
            }

            // The fourth is closed before its TLS handshake.
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => ChatTestClient.ConnectTlsAsync(gateway.Clients, cluster.Certificate.Ca));
            Assert.True(refused is IOException or AuthenticationException, refused.ToString());

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            open.Add(await ConnectWhenAdmittedAsync(gateway, cluster));
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Idle_timeout_closes_a_silent_client_and_spares_one_that_pings()
    {
        await using var cluster = new GatewayCluster();
        await cluster.StartShardAsync("s1");
        // 4 s, not the 1 s minimum: an Auth answered late on a loaded machine must not look idle.
        var gateway = await cluster.StartGatewayAsync("g1", "--Limits:IdleTimeout", "00:00:04");
        var couple = ShardCluster.NewCouple("c-idle");
        await using var silent = await AuthenticatedAsync(cluster, gateway, "alice", couple);
        await using var pinging = await AuthenticatedAsync(cluster, gateway, "bob", couple);

        // One pings every 300 ms (answered by the shard through the relay), the other says nothing.
        var clock = Stopwatch.StartNew();
        var closing = silent.ReadUntilClosedAsync(Bound);
        for (var nonce = 1; !closing.IsCompleted || clock.Elapsed < TimeSpan.FromSeconds(5); nonce++)
        {
            Assert.True(clock.Elapsed < Bound, "the silent client was never closed");
            await pinging.SendAsync(new Ping { Nonce = nonce });
            Assert.Equal(nonce, (await pinging.NextAsync(PacketKind.Pong)).Pong!.Nonce);
            await Task.Delay(300);
        }

        await closing;
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4), $"closed after {clock.Elapsed}, before it was idle");
        await pinging.SendAsync(new Ping { Nonce = -1 });
        Assert.Equal(-1, (await pinging.NextAsync(PacketKind.Pong)).Pong!.Nonce);
        Assert.Equal(1, await GatewayAdmin.MetricAsync(gateway.Admin, "chat_gateway_chat_gateway_connections_idle_closed"));
    }

    [Fact]
    public async Task A_gateway_without_shards_is_not_ready_until_one_joins_and_then_routes()
    {
        await using var cluster = new GatewayCluster();
        var gateway = await cluster.StartGatewayAsync("g1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GatewayAdmin.ReadyzAsync(gateway.Admin));

        await cluster.StartShardAsync("s1");
        var deadline = DateTime.UtcNow + Bound;
        while (await GatewayAdmin.ReadyzAsync(gateway.Admin) != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "/readyz stayed 503 after a shard joined");
            await Task.Delay(100);
        }

        await using var client = await AuthenticatedAsync(cluster, gateway, "alice", ShardCluster.NewCouple("c-ready"));
        await client.SendAsync(new Send { ClientMsgId = "ready-1", Kind = MessageKind.Text, Body = [1] });
        Assert.Equal(1, (await client.NextAsync(PacketKind.Ack)).Ack!.Seq);
    }

    [Fact]
    public async Task Readyz_weights_and_drain_over_the_admin_endpoint()
    {
        await using var cluster = new GatewayCluster();
        await cluster.StartShardAsync("s1");
        var gateways = await Task.WhenAll(
            cluster.StartGatewayAsync(
                "g1",
                "--Drain:GoAwayDelay", "00:00:02",
                "--Drain:GoAwayWindow", "00:00:00",
                "--Drain:ReconnectWithin", "00:00:01",
                "--Drain:CloseGrace", "00:00:01",
                "--Drain:QuietPeriod", "00:00:01"),
            cluster.StartGatewayAsync("g2"));
        var (g1, g2) = (gateways[0], gateways[1]);

        Assert.Equal(HttpStatusCode.OK, await GatewayAdmin.ReadyzAsync(g1.Admin));
        Assert.Equal(HttpStatusCode.OK, await GatewayAdmin.ReadyzAsync(g2.Admin));

        // Any gateway lists every gateway, with the admin URL a DNS updater or hook would use.
        var weights = await GatewayAdmin.WaitForWeightsAsync(g1.Admin, w => w.Count == 2, Bound);
        Assert.Equal(["g1", "g2"], weights.Select(w => w.Id));
        Assert.Equal([g1.Admin, g2.Admin], weights.Select(w => new Uri(w.AdminUrl!)));
        Assert.All(weights, w => Assert.True(w.Weight > 0 && !w.Draining, w.ToString()));

        // A client that ignores GoAway: it gets one, and is closed once ReconnectWithin + CloseGrace ran out.
        var couple = ShardCluster.NewCouple("c-adm");
        await using var stubborn = await ChatTestClient.ConnectTlsAsync(g1.Clients, cluster.Certificate.Ca);
        await stubborn.SendAsync(new Auth { Token = cluster.Keys.Token("alice", couple), DeviceId = "old-app" });
        Assert.Equal(PacketKind.AuthOk, (await stubborn.ReceiveAsync())?.Kind);

        using (var response = await GatewayAdmin.DrainAsync(g1.Admin))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Draining: not ready, weight 0 for the other gateways' view; then gone and exited 0.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await GatewayAdmin.ReadyzAsync(g1.Admin));
        Assert.Equal("draining", (await GatewayAdmin.DrainStatusAsync(g1.Admin)).Phase);
        await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Any(g => g is { Id: "g1", Weight: 0, Draining: true }), Bound);
        var goAway = (await stubborn.NextAsync(PacketKind.GoAway, Bound)).GoAway!;
        Assert.Equal(1000, goAway.ReconnectWithinMs);
        Assert.DoesNotContain(await stubborn.ReadUntilClosedAsync(Bound), p => p.Kind == PacketKind.AuthOk);
        Assert.Equal(0, await g1.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Drain: closed 1 clients that did not leave after their GoAway", g1.Output, StringComparison.Ordinal);
        Assert.Equal("g2", Assert.Single(await GatewayAdmin.WaitForWeightsAsync(g2.Admin, w => w.Count == 1, Bound)).Id);
        Assert.Equal(HttpStatusCode.OK, await GatewayAdmin.ReadyzAsync(g2.Admin));
    }

    [Theory]
    [InlineData("--cert", "/nonexistent/server.crt", "/nonexistent/server.crt")]
    [InlineData("--key", "/nonexistent/server.key", "/nonexistent/server.key")]
    [InlineData("--token-keys", "/nonexistent/tokens.txt", "Security:TokenKeyFile")]
    [InlineData("--listen", "nowhere", "Gateway:Listen")]
    [InlineData("--listen", "127.0.0.1:99999", "Gateway:Listen")]
    [InlineData("--max-connections", "-1", "Limits:MaxConnections")]
    public async Task Bad_configuration_prints_one_line_and_exits_with_code_2(string option, string value, string named)
    {
        using var keys = new TestKeys();
        using var certificate = new TestCertificate();
        var args = new GatewaySettings("cfg", "/t-config", keys, certificate).Arguments([]).ToList();
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exitCode, errors) = await GatewayProcess.RunToExitAsync([.. args], TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("configuration error: ", line);
        Assert.Contains(named, line);
    }

    private static async Task<ChatTestClient> AuthenticatedAsync(GatewayCluster cluster, GatewayProcess gateway, string user, string couple)
    {
        var client = await ChatTestClient.ConnectTlsAsync(gateway.Clients, cluster.Certificate.Ca);
        await client.SendAsync(new Auth { Token = cluster.Keys.Token(user, couple), DeviceId = "phone" });
        Assert.Equal(PacketKind.AuthOk, (await client.ReceiveAsync())?.Kind);
        return client;
    }

    private static async Task<ChatTestClient> ConnectWhenAdmittedAsync(GatewayProcess gateway, GatewayCluster cluster)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                return await ChatTestClient.ConnectTlsAsync(gateway.Clients, cluster.Certificate.Ca);
            }
            catch (Exception ex) when (ex is IOException or AuthenticationException && DateTime.UtcNow < deadline)
            {
                // The slot is freed when the gateway has seen the close; try again shortly.
                await Task.Delay(100);
            }
        }
    }
}
