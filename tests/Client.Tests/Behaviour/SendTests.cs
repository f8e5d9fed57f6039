using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Client.Support;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Client.Behaviour;

/// <summary>SendAsync: Ack, own message delivery, retries with the same clientMsgId.</summary>
public class SendTests
{
    [Fact]
    public async Task Send_returns_the_Ack_and_delivers_the_own_message_in_seq_order()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "hello"u8.ToArray());
        var send = await connection.ExpectSendAsync();
        Assert.Equal(ClientMsgIds.GeneratedLength, send.ClientMsgId!.Length);
        Assert.Equal("hello"u8.ToArray(), send.Body);
        await connection.SendAsync(new Message { Seq = 1, SenderId = "bob", Kind = MessageKind.Text, Body = "hi"u8.ToArray(), ClientMsgId = "b1" });
        await connection.SendAsync(new Ack { ClientMsgId = send.ClientMsgId, Seq = 2, ServerTime = 1_700_000_000_123 });

        var result = await sending.DefaultTimeout();
        Assert.Equal(new SendResult(SendStatus.Sent, send.ClientMsgId, 2, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), 1, null), result);
        await events.WaitForMessagesAsync(2);
        Assert.Equal([1L, 2], events.Seqs);
        var own = events.Messages[1];
        Assert.Equal("alice", own.SenderId);
        Assert.Equal(send.ClientMsgId, own.ClientMsgId);
        Assert.Equal("hello", own.BodyText);
        Assert.Equal(2, client.LastSeq);
    }

    [Fact]
    public async Task A_send_lost_with_the_connection_is_retried_with_the_same_id_and_seen_once()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var events = new ClientEvents(client);
        var connect = client.ConnectAsync();
        var first = await server.AcceptAsync();
        await first.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "once"u8.ToArray(), "msg-1");
        Assert.Equal("msg-1", (await first.ExpectSendAsync()).ClientMsgId);
        // The shard stored it as seq 1, but the connection died before the Ack left.
        first.Abort();

        var second = await server.AcceptAsync();
        var auth = await second.AcceptAuthAsync(latestSeq: 1);
        Assert.Equal(0, auth.LastSeq);
        var retried = await second.ExpectSendAsync();
        Assert.Equal("msg-1", retried.ClientMsgId);
        var sync = await second.ExpectSyncAsync();
        Assert.Equal(0, sync.AfterSeq);
        var stored = new Message { Seq = 1, SenderId = "alice", Kind = MessageKind.Text, Body = "once"u8.ToArray(), ClientMsgId = "msg-1" };
        await second.SendAsync(new SyncResult { Messages = [stored], More = false, LatestSeq = 1 });
        // The shard dedups the retry and acknowledges it with the original seq.
        await second.SendAsync(new Ack { ClientMsgId = "msg-1", Seq = 1 });
        await events.DrainAsync(second);

        var result = await sending.DefaultTimeout();
        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(1, result.Seq);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([1L], events.Seqs);
        var counters = client.Counters;
        Assert.Equal(1, counters.Reconnects);
        Assert.Equal(1, counters.SendsRetried);
        Assert.Equal(1, counters.MessagesDelivered);
    }

    [Fact]
    public async Task A_send_made_while_disconnected_goes_out_on_the_next_connection()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var connect = client.ConnectAsync();
        var first = await server.AcceptAsync();
        await first.AcceptAuthAsync();
        await connect.DefaultTimeout();
        first.Abort();
        var second = await server.AcceptAsync();
        // Between the two connections (the second has not authenticated yet).
        var sending = client.SendAsync(MessageKind.Sticker, "pack/1"u8.ToArray(), "offline-1");
        await second.AcceptAuthAsync();
        Assert.Equal("offline-1", (await second.ExpectSendAsync()).ClientMsgId);
        await second.SendAsync(new Ack { ClientMsgId = "offline-1", Seq = 1 });
        Assert.Equal(SendStatus.Sent, (await sending.DefaultTimeout()).Status);
    }

    [Fact]
    public async Task RateLimited_waits_retry_after_then_retries_the_same_send()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { TimeProvider = time });
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "x"u8.ToArray(), "rl-1");
        await connection.ExpectSendAsync();
        await connection.SendAsync(new Error { Code = ErrorCode.RateLimited, Text = "slow down", RetryAfterMs = 5000, ClientMsgId = "rl-1" });
        await connection.RoundTripAsync();
        time.Advance(TimeSpan.FromMilliseconds(4900));
        await connection.RoundTripAsync();
        Assert.False(sending.IsCompleted);
        // retryAfter plus at most 10 % jitter.
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal("rl-1", (await connection.ExpectSendAsync()).ClientMsgId);
        await connection.SendAsync(new Ack { ClientMsgId = "rl-1", Seq = 1 });
        var result = await sending.DefaultTimeout();
        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task RateLimited_beyond_the_bound_ends_the_send()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { TimeProvider = time, MaxRateLimitRetries = 1 });
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "x"u8.ToArray(), "rl-2");
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await connection.ExpectSendAsync();
            await connection.SendAsync(new Error { Code = ErrorCode.RateLimited, Text = "slow down", RetryAfterMs = 100, ClientMsgId = "rl-2" });
            await connection.RoundTripAsync();
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        var result = await sending.DefaultTimeout();
        Assert.Equal(SendStatus.RateLimited, result.Status);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task Unavailable_is_retried_with_backoff_and_BadRequest_is_final()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { TimeProvider = time });
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();

        var sending = client.SendAsync(MessageKind.Text, "x"u8.ToArray(), "un-1");
        await connection.ExpectSendAsync();
        await connection.SendAsync(new Error { Code = ErrorCode.Unavailable, Text = "redis down", RetryAfterMs = 1000, ClientMsgId = "un-1" });
        await connection.RoundTripAsync();
        time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal("un-1", (await connection.ExpectSendAsync()).ClientMsgId);
        await connection.SendAsync(new Error { Code = ErrorCode.BadRequest, Text = "body too long", ClientMsgId = "un-1" });
        var result = await sending.DefaultTimeout();
        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Equal("body too long", result.Detail);
    }

    [Fact]
    public async Task A_send_without_Ack_times_out()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint) with { TimeProvider = time, SendTimeout = TimeSpan.FromSeconds(30) });
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();
        var sending = client.SendAsync(MessageKind.Text, "x"u8.ToArray(), "to-1");
        await connection.ExpectSendAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await sending.DefaultTimeout();
        Assert.Equal(SendStatus.TimedOut, result.Status);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task A_message_too_large_for_a_frame_is_refused_before_sending()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(TestOptions.For(server.Endpoint));
        var body = new byte[300 * 1024];
        System.Security.Cryptography.RandomNumberGenerator.Fill(body);
        var result = await client.SendAsync(MessageKind.File, body).DefaultTimeout();
        Assert.Equal(SendStatus.TooLarge, result.Status);
        Assert.Equal(0, result.Attempts);
    }

    [Fact]
    public async Task Disposing_ends_pending_sends_with_Closed()
    {
        await using var server = new ScriptedServer();
        var client = new ChatClient(TestOptions.For(server.Endpoint));
        var connect = client.ConnectAsync();
        var connection = await server.AcceptAsync();
        await connection.AcceptAuthAsync();
        await connect.DefaultTimeout();
        var sending = client.SendAsync(MessageKind.Text, "x"u8.ToArray());
        await connection.ExpectSendAsync();
        await client.DisposeAsync().AsTask().DefaultTimeout();
        Assert.Equal(SendStatus.Closed, (await sending.DefaultTimeout()).Status);
        Assert.Equal(ConnectionState.Closed, client.State);
    }
}
