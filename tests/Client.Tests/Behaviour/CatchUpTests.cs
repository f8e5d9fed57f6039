using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Client.Support;

namespace Chat.Tests.Client.Behaviour;

/// <summary>Catching up by Sync: after AuthOk, on a seq gap, on ResyncHint; and SyncAsync queries.</summary>
public class CatchUpTests
{
    [Fact]
    public async Task AuthOk_above_last_seq_pages_through_Sync_until_more_is_false()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { StartAfterSeq = 10, SyncPageSize = 3 });
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync(latestSeq: 15);
        await connect.DefaultTimeout();

        var first = await connection.ExpectSyncAsync();
        Assert.Equal((10L, 3), (first.AfterSeq, first.Limit));
        await connection.SendAsync(new SyncResult { Messages = [Msg(11), Msg(12), Msg(13)], More = true, LatestSeq = 15 });
        var second = await connection.ExpectSyncAsync();
        Assert.Equal(13, second.AfterSeq);
        await connection.SendAsync(new SyncResult { Messages = [Msg(14), Msg(15)], More = false, LatestSeq = 15 });
        await events.WaitForMessagesAsync(5);
        await events.DrainAsync(connection);
        Assert.Equal([11L, 12, 13, 14, 15], events.Seqs);
        Assert.Equal(15, client.LastSeq);
        Assert.Equal(2, client.Counters.SyncRequests);
    }

    [Fact]
    public async Task A_seq_gap_in_live_messages_syncs_and_delivers_in_order_once()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        await connection.SendAsync(Msg(1));
        await connection.SendAsync(Msg(3));
        var sync = await connection.ExpectSyncAsync();
        Assert.Equal(1, sync.AfterSeq);
        // Live message 4 arrives while the Sync is out; the page then repeats 3.
        await connection.SendAsync(Msg(4));
        await connection.SendAsync(new SyncResult { Messages = [Msg(2), Msg(3), Msg(4)], More = false, LatestSeq = 4 });
        await connection.SendAsync(Msg(4));
        await events.WaitForMessagesAsync(4);
        await events.DrainAsync(connection);
        Assert.Equal([1L, 2, 3, 4], events.Seqs);
        Assert.Equal(1, client.Counters.GapsDetected);
    }

    [Fact]
    public async Task ResyncHint_syncs_from_last_seq_and_rewrites_unacknowledged_sends()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();
        await connection.SendAsync(Msg(1));
        var sending = client.SendAsync(MessageKind.Text, "moved"u8.ToArray(), "mv-1");
        await connection.ExpectSendAsync();

        // The gateway moved the stream to another shard: same socket, new shard.
        await connection.SendAsync(new ResyncHint { LatestSeq = 2 });
        // The Sync and the rewritten Send go out in either order.
        var packets = new[] { await connection.ReadAsync(), await connection.ReadAsync() };
        Assert.Equal(1, Assert.Single(packets, p => p!.Kind == PacketKind.Sync)!.Sync!.AfterSeq);
        Assert.Equal("mv-1", Assert.Single(packets, p => p!.Kind == PacketKind.Send)!.Send!.ClientMsgId);
        await connection.SendAsync(new SyncResult { Messages = [Msg(2)], More = false, LatestSeq = 2 });
        await connection.SendAsync(new Ack { ClientMsgId = "mv-1", Seq = 3 });
        Assert.Equal(3, (await sending.DefaultTimeout()).Seq);
        await events.WaitForMessagesAsync(3);
        await events.DrainAsync(connection);
        Assert.Equal([1L, 2, 3], events.Seqs);
        Assert.Equal(1, client.Counters.Resyncs);
        Assert.Equal(1, client.Counters.SendsRetried);
    }

    [Fact]
    public async Task An_own_Ack_ahead_of_a_partner_message_waits_for_it_then_syncs()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "mine"u8.ToArray(), "own-2");
        await connection.ExpectSendAsync();
        await connection.SendAsync(new Ack { ClientMsgId = "own-2", Seq = 2 });
        Assert.Equal(2, (await sending.DefaultTimeout()).Seq);
        // Seq 1 (the partner's) never arrives live: after GapSyncDelay the client asks for it.
        var sync = await connection.ExpectSyncAsync();
        Assert.Equal(0, sync.AfterSeq);
        await connection.SendAsync(new SyncResult
        {
            Messages = [Msg(1), new Message { Seq = 2, SenderId = "alice", Kind = MessageKind.Text, Body = "mine"u8.ToArray(), ClientMsgId = "own-2" }],
            More = false,
            LatestSeq = 2,
        });
        await events.WaitForMessagesAsync(2);
        await events.DrainAsync(connection);
        Assert.Equal([1L, 2], events.Seqs);
        Assert.Equal("mine", events.Messages[1].BodyText);
    }

    [Fact]
    public async Task A_Sync_answered_by_an_Error_is_asked_again()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync(latestSeq: 1);
        await connect.DefaultTimeout();

        Assert.Equal(0, (await connection.ExpectSyncAsync()).AfterSeq);
        await connection.SendAsync(new Error { Code = ErrorCode.Unavailable, Text = "sync failed: retry", RetryAfterMs = 50 });
        Assert.Equal(0, (await connection.ExpectSyncAsync()).AfterSeq);
        await connection.SendAsync(new SyncResult { Messages = [Msg(1)], More = false, LatestSeq = 1 });
        await events.WaitForMessagesAsync(1);
        Assert.Empty(events.Errors);
    }

    [Fact]
    public async Task SyncAsync_returns_a_page_without_touching_the_delivered_sequence()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var query = client.SyncAsync(5, 2);
        var sync = await connection.ExpectSyncAsync();
        Assert.Equal((5L, 2), (sync.AfterSeq, sync.Limit));
        await connection.SendAsync(new SyncResult { Messages = [Msg(6), Msg(7)], More = true, LatestSeq = 9 });
        var page = await query.DefaultTimeout();
        Assert.Equal(SyncStatus.Ok, page.Status);
        Assert.Equal([6L, 7], page.Messages.Select(m => m.Seq));
        Assert.True(page.More);
        Assert.Equal(9, page.LatestSeq);
        await events.DrainAsync(connection);
        Assert.Empty(events.Messages);
        Assert.Equal(0, client.LastSeq);
    }

    [Fact]
    public async Task SyncAsync_waits_for_a_connection_and_survives_a_reconnect()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var connect = client.ConnectAsync();
        var first = await server.AcceptAsync();
        await first.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var query = client.SyncAsync(0, 10);
        await first.ExpectSyncAsync();
        first.Abort();
        var second = await server.AcceptAsync();
        await second.AcceptAuthAsync();
        Assert.Equal(0, (await second.ExpectSyncAsync()).AfterSeq);
        await second.SendAsync(new SyncResult { Messages = [], More = false, LatestSeq = 0 });
        var page = await query.DefaultTimeout();
        Assert.Equal(SyncStatus.Ok, page.Status);
        Assert.Empty(page.Messages);
    }

    private static Message Msg(long seq) => new()
    {
        Seq = seq,
        SenderId = "bob",
        Kind = MessageKind.Text,
        Body = System.Text.Encoding.UTF8.GetBytes($"m{seq}"),
        ServerTime = 1_700_000_000_000 + seq,
        ClientMsgId = $"b{seq}",
    };
}
