using System.Text;
using Chat.ChatService.Storage;
using Chat.Protocol.Packets;
using Chat.Tests.ChatService.Support;

namespace Chat.Tests.ChatService.Chat;

/// <summary>
/// The couple session alone: a real event loop, the in-memory store (appends completing in the order
/// the test chooses), a manual clock for the gap and typing timers.
/// </summary>
public sealed class CoupleSessionTests : IAsyncLifetime
{
    private CoupleHarness _couple = null!;

    public Task InitializeAsync()
    {
        _couple = new CoupleHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _couple.DisposeAsync();

    private static ClientPacket Text(string clientMsgId, string text) =>
        new Send { ClientMsgId = clientMsgId, Kind = MessageKind.Text, Body = Encoding.UTF8.GetBytes(text) };

    private static List<long> Seqs(RecordingConnection connection) => [.. connection.Of(PacketKind.Message, p => p.Message!.Seq)];

    [Fact]
    public async Task Appends_that_complete_out_of_order_are_delivered_in_seq_order_and_acked_as_they_complete()
    {
        var (alice, atAlice) = await _couple.AttachAsync("alice", "phone");
        var (_, atBob) = await _couple.AttachAsync("bob", "phone");
        _couple.Store.HoldAppends = true;
        await _couple.HandleAsync(alice, Text("a-1", "one"));
        await _couple.HandleAsync(alice, Text("a-2", "two"));
        await _couple.HandleAsync(alice, Text("a-3", "three"));

        // One at a time: each completion hops through the thread pool, so two released together could reach the loop in either order.
        _couple.Store.Release(3);
        await atAlice.WaitForAsync(PacketKind.Ack);
        _couple.Store.Release(2);
        await atAlice.WaitForAsync(PacketKind.Ack, 2);
        await _couple.SettleAsync();
        Assert.Empty(Seqs(atBob));

        _couple.Store.Release(1);
        await atBob.WaitForAsync(PacketKind.Message, 3);
        Assert.Equal([1, 2, 3], Seqs(atBob));
        Assert.Equal(["one", "two", "three"], atBob.Of(PacketKind.Message, p => Encoding.UTF8.GetString(p.Message!.Body!)));
        Assert.Equal([3, 2, 1], atAlice.Of(PacketKind.Ack, p => p.Ack!.Seq));
        Assert.Empty(Seqs(atAlice));
    }

    [Fact]
    public async Task A_retried_send_is_acked_with_its_original_seq_and_delivered_once()
    {
        var (alice, atAlice) = await _couple.AttachAsync("alice", "phone");
        var (_, atBob) = await _couple.AttachAsync("bob", "phone");

        await _couple.HandleAsync(alice, Text("same", "hello"));
        await atBob.WaitForAsync(PacketKind.Message);
        await _couple.HandleAsync(alice, Text("same", "hello"));
        await atAlice.WaitForAsync(PacketKind.Ack, 2);
        await _couple.HandleAsync(alice, Text("next", "after"));
        await atBob.WaitForAsync(PacketKind.Message, 2);

        Assert.Equal([1, 1, 2], atAlice.Of(PacketKind.Ack, p => p.Ack!.Seq));
        Assert.Equal([1, 2], Seqs(atBob));
        Assert.Equal(2, _couple.Store.Log.Count);
        Assert.Equal(3, _couple.Store.Appends);
    }

    [Fact]
    public async Task A_seq_that_never_completes_is_skipped_after_the_gap_timeout()
    {
        var (alice, atAlice) = await _couple.AttachAsync("alice", "phone");
        var (_, atBob) = await _couple.AttachAsync("bob", "phone");
        _couple.Store.HoldAppends = true;
        await _couple.HandleAsync(alice, Text("lost", "unknown outcome"));
        await _couple.HandleAsync(alice, Text("kept", "stored"));
        _couple.Store.Release(2);
        await atAlice.WaitForAsync(PacketKind.Ack);
        await _couple.SettleAsync();

        _couple.Time.Advance(_couple.Limits.DeliveryGapTimeout - TimeSpan.FromMilliseconds(1));
        await _couple.SettleAsync();
        Assert.Empty(Seqs(atBob));

        _couple.Time.Advance(TimeSpan.FromMilliseconds(1));
        await atBob.WaitForAsync(PacketKind.Message);
        Assert.Equal([2], Seqs(atBob));

        // The first send's outcome turns out unknown: its sender is told to retry; nobody got seq 1 live.
        _couple.Store.Fail(1, AppendStatus.Unavailable);
        var error = (await atAlice.WaitForAsync(PacketKind.Error)).Single().Error!;
        Assert.Equal((ErrorCode.Unavailable, "lost"), (error.Code, error.ClientMsgId));
        await _couple.SettleAsync();
        Assert.Equal([2], Seqs(atBob));
    }

    [Fact]
    public async Task Typing_turns_off_after_the_expiry_unless_refreshed()
    {
        var (alice, _) = await _couple.AttachAsync("alice", "phone");
        var (_, atBob) = await _couple.AttachAsync("bob", "phone");
        var expiry = _couple.Limits.TypingExpiry;
        List<bool> TypingAtBob() => [.. atBob.Of(PacketKind.Typing, p => p.Typing!.On)];

        await _couple.HandleAsync(alice, new Typing { On = true });
        Assert.Equal([true], TypingAtBob());

        // A refresh before the expiry is not relayed again and restarts the clock.
        _couple.Time.Advance(expiry - TimeSpan.FromSeconds(1));
        await _couple.HandleAsync(alice, new Typing { On = true });
        _couple.Time.Advance(expiry - TimeSpan.FromSeconds(1));
        await _couple.SettleAsync();
        Assert.Equal([true], TypingAtBob());

        _couple.Time.Advance(TimeSpan.FromSeconds(1));
        await atBob.WaitForAsync(PacketKind.Typing, 2);
        Assert.Equal([true, false], TypingAtBob());
        Assert.Equal("alice", atBob.Sent.Last(p => p.Kind == PacketKind.Typing).Typing!.UserId);
    }

    [Fact]
    public async Task A_migrated_device_gets_ResyncHint_with_the_latest_seq_right_after_AuthOk()
    {
        var (alice, atAlice) = await _couple.AttachAsync("alice", "phone");
        await _couple.HandleAsync(alice, Text("m", "x"));
        await atAlice.WaitForAsync(PacketKind.Ack);

        var (_, moved) = await _couple.AttachAsync("bob", "phone", migrated: true);
        var packets = moved.Sent;
        Assert.Equal([PacketKind.AuthOk, PacketKind.ResyncHint], packets.Take(2).Select(p => p.Kind));
        Assert.Equal((1L, 1L), (packets[0].AuthOk!.LatestSeq, packets[1].ResyncHint!.LatestSeq));
        Assert.DoesNotContain(atAlice.Sent, p => p.Kind == PacketKind.ResyncHint);
    }
}
