using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Client.Support;

namespace Chat.Tests.Client.Behaviour;

/// <summary>A server (or a middlebox) that sends garbage gets a closed connection and a reconnect, never an exception in the app.</summary>
public class HostileServerTests
{
    public static TheoryData<string, byte[]> BadFrames => new()
    {
        { "reserved flag bit", [0, 0, 0, 2, 0x80, 0] },
        { "length prefix of 4 GiB", [0xFF, 0xFF, 0xFF, 0xFF, 0] },
        { "empty frame", [0, 0, 0, 0] },
        { "not Thrift", [0, 0, 0, 4, 0, 0xFF, 0xFF, 0xFF] },
        { "LZ4 bomb declaring 1 GiB", [0, 0, 0, 9, 1, 0x40, 0, 0, 0, 0x1F, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_closes_the_connection_and_the_client_reconnects(string what, byte[] frame)
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        await connection.SendRawAsync(frame);
        await connection.WaitClosedAsync();
        var next = await server.AcceptAsync();
        await next.AcceptAuthAsync();
        await events.WaitForStateAsync(ConnectionState.Reconnecting, DisconnectReason.ProtocolError);
        Assert.True(events.States.Count(s => s.State == ConnectionState.Connected) <= 2, what);
    }

    [Fact]
    public async Task A_packet_type_from_a_newer_server_is_skipped()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        // A ClientPacket whose only member is field 99 (a struct with no fields): unknown here.
        await connection.SendRawAsync([0, 0, 0, 5, 0, 0x0C, 99, 0, 0]);
        await connection.SendAsync(new Message { Seq = 1, SenderId = "bob", Kind = MessageKind.Text, Body = "still here"u8.ToArray(), ClientMsgId = "b1" });
        await events.WaitForMessagesAsync(1);
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_later_events()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var calls = 0;
        client.MessageReceived += (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("app bug");
            }
        };
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();
        await connection.SendAsync(new Message { Seq = 1, SenderId = "bob", Kind = MessageKind.Text, Body = "a"u8.ToArray(), ClientMsgId = "b1" });
        await connection.SendAsync(new Message { Seq = 2, SenderId = "bob", Kind = MessageKind.Text, Body = "b"u8.ToArray(), ClientMsgId = "b2" });
        await events.WaitForMessagesAsync(2);
        Assert.Equal(2, calls);
    }
}
