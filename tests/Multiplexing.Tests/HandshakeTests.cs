using System.Net;
using System.Net.Sockets;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Tests.Multiplexing.Support;

namespace Chat.Tests.Multiplexing;

public class HandshakeTests
{
    [Fact]
    public async Task A_gateway_with_the_cluster_key_connects_and_learns_the_shard_id()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient();

        var result = await client.TryConnectAsync(server.EndPoint, expectedShardId: "shard-a");

        Assert.Equal(MuxConnectStatus.Connected, result.Status);
        Assert.Equal("shard-a", result.Connection!.ShardId);
        Assert.True(result.Connection.IsAcceptingStreams);
        await Eventually.TrueAsync(() => server.Initializer.ConnectionCount == 1, "the shard counts the connection");
    }

    [Fact]
    public async Task A_gateway_signing_with_a_rotated_key_id_connects()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient().Configure(o => o.Keys = TestKeys.Cluster(signingKeyId: "k2"));

        Assert.Equal(MuxConnectStatus.Connected, (await client.TryConnectAsync(server.EndPoint)).Status);
    }

    [Fact]
    public async Task A_hello_signed_with_the_wrong_key_is_rejected_and_opens_no_stream()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient().Configure(o => o.Keys = TestKeys.WrongBytes());

        var result = await client.TryConnectAsync(server.EndPoint);

        Assert.Equal(MuxConnectStatus.Rejected, result.Status);
        Assert.Null(result.Connection);
        Assert.Contains("HandshakeFailed", result.Detail, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => server.Initializer.ConnectionCount == 0, "the shard drops the connection");
        Assert.Empty(server.StreamHandlers);
    }

    [Fact]
    public async Task A_hello_with_an_unknown_key_id_is_rejected()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient().Configure(o => o.Keys = TestKeys.UnknownId());

        Assert.Equal(MuxConnectStatus.Rejected, (await client.TryConnectAsync(server.EndPoint)).Status);
    }

    [Fact]
    public async Task A_shard_with_another_id_than_expected_is_refused()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var client = new MuxTestClient();

        var result = await client.TryConnectAsync(server.EndPoint, expectedShardId: "shard-b");

        Assert.Equal(MuxConnectStatus.ShardMismatch, result.Status);
    }

    [Fact]
    public async Task Frames_before_the_handshake_close_the_connection_without_opening_a_stream()
    {
        await using var server = await MuxTestServer.StartEchoAsync();
        await using var peer = await MuxWirePeer.ConnectAsync(server.EndPoint);

        Assert.Equal(MuxFrameType.Challenge, (await peer.ReadFrameAsync())!.Value.Header.Type);
        await peer.OpenAsync(1);

        var goAway = await peer.ReadUntilClosedAsync();
        Assert.Equal(GoAwayReason.HandshakeFailed, goAway?.Reason);
        Assert.Empty(server.StreamHandlers);
    }

    [Fact]
    public async Task A_silent_peer_is_closed_at_the_handshake_deadline()
    {
        await using var server = await MuxTestServer.StartEchoAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        await using var peer = await MuxWirePeer.ConnectAsync(server.EndPoint);

        var goAway = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(GoAwayReason.HandshakeFailed, goAway?.Reason);
        await Eventually.TrueAsync(() => server.Initializer.ConnectionCount == 0, "the shard drops the connection");
    }

    [Fact]
    public async Task A_shard_that_never_answers_times_the_gateway_out()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var client = new MuxTestClient().Configure(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));

        var connecting = client.TryConnectAsync((IPEndPoint)listener.LocalEndpoint);
        await using var silent = await MuxWirePeer.AcceptAsync(listener);

        Assert.Equal(MuxConnectStatus.HandshakeTimeout, (await connecting).Status);
    }

    [Fact]
    public async Task A_shard_impostor_without_the_key_is_not_trusted()
    {
        // Something listens at the shard's address and answers the Hello, but cannot produce the
        // HelloOk MAC without the cluster key.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var client = new MuxTestClient();

        var connecting = client.TryConnectAsync((IPEndPoint)listener.LocalEndpoint);
        await using var impostor = await MuxWirePeer.AcceptAsync(listener);
        await impostor.WriteControlAsync(MuxFrameType.Challenge, 0, new MuxChallenge { Version = 1, ShardId = "shard-a", Nonce = new byte[32] });
        Assert.Equal(MuxFrameType.Hello, (await impostor.ReadFrameAsync())!.Value.Header.Type);
        await impostor.WriteControlAsync(MuxFrameType.HelloOk, 0, new MuxHelloOk
        {
            ShardId = "shard-a",
            Mac = new byte[32],
            Settings = new MuxSettings { InitialStreamWindow = 1024, MaxStreams = 10, MaxFramePayload = 65_536, PingIntervalMs = 0 },
        });

        Assert.Equal(MuxConnectStatus.ServerNotAuthenticated, (await connecting).Status);
    }

    [Fact]
    public async Task Nothing_listening_is_a_connect_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        await using var client = new MuxTestClient();

        Assert.Equal(MuxConnectStatus.ConnectFailed, (await client.TryConnectAsync(endPoint)).Status);
    }
}
