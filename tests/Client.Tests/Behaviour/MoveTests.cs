using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Client.Support;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Client.Behaviour;

/// <summary>Moving to another server: GoAway, NotOwner, a dead connection.</summary>
public class MoveTests
{
    [Fact]
    public async Task GoAway_moves_to_another_endpoint_within_the_deadline_without_losing_sends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var a = new ScriptedServer();
        await using var b = new ScriptedServer();
        await using var client = await ConnectAsync(a, b, time);
        var (connection, other) = (client.Connection, client.Other);

        var sending = client.Client.SendAsync(MessageKind.Text, "during drain"u8.ToArray(), "ga-1");
        await connection.ExpectSendAsync();
        await connection.SendAsync(new GoAway { ReconnectWithinMs = 10_000, Reason = "draining" });
        await connection.RoundTripAsync();
        Assert.Equal(0, other.Accepted);

        // The client picks its moment in the first 3/4 of the window: by then it must have gone.
        time.Advance(TimeSpan.FromMilliseconds(7_500));
        await connection.WaitClosedAsync();
        var moved = await other.AcceptAsync();
        await moved.AcceptAuthAsync();
        Assert.Equal("ga-1", (await moved.ExpectSendAsync()).ClientMsgId);
        await moved.SendAsync(new Ack { ClientMsgId = "ga-1", Seq = 1 });
        Assert.Equal(SendStatus.Sent, (await sending.DefaultTimeout()).Status);
        Assert.Equal(1, client.Client.Counters.Reconnects);
        Assert.Contains(client.Events.States, s => s.State == ConnectionState.Reconnecting && s.Reason == DisconnectReason.GoAway);
    }

    [Fact]
    public async Task NotOwner_on_a_direct_connection_reconnects_elsewhere()
    {
        await using var a = new ScriptedServer();
        await using var b = new ScriptedServer();
        await using var client = await ConnectAsync(a, b, TimeProvider.System);
        await client.Connection.SendAsync(new Error { Code = ErrorCode.NotOwner, Text = "couple not owned at ring epoch 7" });
        var moved = await client.Other.AcceptAsync();
        await moved.AcceptAuthAsync();
        await client.Events.WaitForStateAsync(ConnectionState.Reconnecting, DisconnectReason.NotOwner);
        await TaskTimeouts.UntilAsync(() => client.Client.State == ConnectionState.Connected, "connected to the owner");
    }

    [Fact]
    public async Task A_silent_connection_is_replaced_after_two_ping_intervals()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer();
        var options = TestOptions.For(server.Endpoint) with { TimeProvider = time, PingInterval = TimeSpan.FromSeconds(15) };
        await using var client = new ChatClient(options);
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        connection.AnswerPings = false;
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        // The client pings every interval; this server never answers (a dead NAT mapping, say).
        time.Advance(TimeSpan.FromSeconds(15));
        var ping = await connection.ReadAsync();
        Assert.Equal(PacketKind.Ping, ping!.Kind);
        time.Advance(TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromSeconds(15));
        await connection.WaitClosedAsync();
        // Then the reconnect backoff (at most InitialBackoff after a connection that had worked).
        await TaskTimeouts.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(5), () => server.Accepted == 2, "the client reconnected");
        var next = await server.AcceptAsync();
        await next.AcceptAuthAsync();
        await events.WaitForStateAsync(ConnectionState.Reconnecting, DisconnectReason.Timeout);
    }

    /// <summary>
    /// Connects a client configured with both servers. Which one it tries first is random; that one
    /// plays <c>first</c> in the test, the other <c>second</c>.
    /// </summary>
    private static async Task<ConnectedClient> ConnectAsync(ScriptedServer a, ScriptedServer b, TimeProvider time)
    {
        var client = new ChatClient(TestOptions.For(a.Endpoint, b.Endpoint) with { TimeProvider = time });
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        await TaskTimeouts.UntilAsync(() => a.Accepted + b.Accepted > 0, "the client connected somewhere");
        var (first, second) = a.Accepted > 0 ? (a, b) : (b, a);
        var connection = await first.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();
        return new ConnectedClient(client, events, connection, second);
    }

    private sealed record ConnectedClient(ChatClient Client, ClientEvents Events, ServerConnection Connection, ScriptedServer Other) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Client.DisposeAsync();
    }
}
