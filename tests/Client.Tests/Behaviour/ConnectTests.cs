using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Client.Support;

namespace Chat.Tests.Client.Behaviour;

/// <summary>Connect and Auth against a scripted server on loopback.</summary>
public class ConnectTests
{
    [Fact]
    public async Task Auth_carries_token_device_and_last_seq_and_AuthOk_connects()
    {
        await using var server = new ScriptedServer();
        var options = TestOptions.For(server.Endpoint) with
        {
            StartAfterSeq = 41,
            TokenProvider = _ => ValueTask.FromResult("v1.k.alice.c1.9.sig"),
        };
        await using var client = new ChatClient(options);
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        var auth = await connection.ExpectAuthAsync();
        Assert.Equal("v1.k.alice.c1.9.sig", auth.Token);
        Assert.Equal("phone1", auth.DeviceId);
        Assert.Equal(41, auth.LastSeq);

        await connection.SendAsync(new AuthOk { UserId = "alice", CoupleId = "c1", LatestSeq = 41, PartnerOnline = true });
        Assert.Equal(ConnectStatus.Connected, (await connect.DefaultTimeout()).Status);
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal("alice", client.UserId);
        Assert.Equal("c1", client.CoupleId);
        Assert.True(client.PartnerOnline);
        await events.WaitForStateAsync(ConnectionState.Connected);
        Assert.Equal([ConnectionState.Connecting, ConnectionState.Connected], events.States.Select(s => s.State));
    }

    [Fact]
    public async Task A_refused_token_is_fetched_again_once_then_connect_reports_AuthFailed()
    {
        await using var server = new ScriptedServer();
        var calls = 0;
        var options = TestOptions.For(server.Endpoint) with
        {
            TokenProvider = _ => ValueTask.FromResult($"token-{Interlocked.Increment(ref calls)}"),
        };
        await using var client = new ChatClient(options);
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        for (var i = 1; i <= 2; i++)
        {
            var connection = await server.AcceptAsync();
            Assert.Equal($"token-{i}", (await connection.ExpectAuthAsync()).Token);
            await connection.SendAsync(new Error { Code = i == 1 ? ErrorCode.TokenExpired : ErrorCode.AuthFailed, Text = "refused" });
            connection.Abort();
        }

        var result = await connect.DefaultTimeout();
        Assert.Equal(ConnectStatus.AuthFailed, result.Status);
        Assert.Equal(ErrorCode.AuthFailed, result.Error);
        Assert.Equal(2, calls);
        await events.WaitForStateAsync(ConnectionState.Closed);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await client.DisposeAsync();
            await client.SendAsync(MessageKind.Text, "x"u8.ToArray());
        });
    }

    [Fact]
    public async Task Network_failures_are_retried_until_a_server_answers()
    {
        // Nothing listens on the first endpoint: the client moves on to the second.
        int deadPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            deadPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For($"127.0.0.1:{deadPort}", server.Endpoint));
        var connect = client.ConnectAsync();
        await (await server.AcceptAsync()).AcceptAuthAsync();
        Assert.Equal(ConnectStatus.Connected, (await connect.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task FromLatest_skips_the_history_and_starts_after_the_latest_seq()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { StartAfterSeq = ChatClientOptions.FromLatest });
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        Assert.Equal(0, (await connection.AcceptAuthAsync(latestSeq: 500)).LastSeq);
        await connect.DefaultTimeout();
        await connection.SendAsync(new Message { Seq = 501, SenderId = "bob", Kind = MessageKind.Text, Body = "hi"u8.ToArray(), ClientMsgId = "b1" });
        await events.WaitForMessagesAsync(1);
        Assert.Equal([501L], events.Seqs);
        Assert.Equal(501, client.LastSeq);
    }

    [Fact]
    public async Task Typing_presence_and_read_marks_reach_the_app_and_go_out()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        await connection.SendAsync(new Presence { UserId = "bob", Online = false, Devices = 0 });
        await connection.SendAsync(new Typing { On = true, UserId = "bob" });
        await connection.SendAsync(new ReadUpTo { Seq = 7, UserId = "bob" });
        await TaskTimeouts.UntilAsync(() => events.Signals.Count == 3, "three signals arrived");
        Assert.Equal(new PresenceSignal("bob", false, 0), events.Signals[0]);
        Assert.Equal(new TypingSignal("bob", true), events.Signals[1]);
        Assert.Equal(new ReadMark("bob", 7), events.Signals[2]);
        Assert.False(client.PartnerOnline);

        Assert.True(await client.SetTypingAsync(true).DefaultTimeout());
        Assert.True((await connection.ExpectAsync(PacketKind.Typing)).Typing!.On);
        Assert.True(await client.MarkReadAsync(5).DefaultTimeout());
        Assert.Equal(5, (await connection.ExpectAsync(PacketKind.ReadUpTo)).ReadUpTo!.Seq);
    }

    [Fact]
    public async Task The_read_mark_is_written_again_after_a_reconnect()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var connect = client.ConnectAsync();
        var first = await server.AcceptAsync();
        await first.AcceptAuthAsync();
        await connect.DefaultTimeout();
        await client.MarkReadAsync(9).DefaultTimeout();
        await client.MarkReadAsync(4).DefaultTimeout();
        Assert.Equal(9, (await first.ExpectAsync(PacketKind.ReadUpTo)).ReadUpTo!.Seq);
        first.Abort();

        var second = await server.AcceptAsync();
        await second.AcceptAuthAsync();
        Assert.Equal(9, (await second.ExpectAsync(PacketKind.ReadUpTo)).ReadUpTo!.Seq);
    }
}
