using Chat.Client;
using Chat.Client.Ordering;
using Chat.Protocol.Packets;
using FsCheck;
using FsCheck.Xunit;

namespace Chat.Tests.Client.Ordering;

public class SeqOrderingBufferTests
{
    [Fact]
    public void Next_seq_is_delivered_and_releases_held_ones()
    {
        var buffer = new SeqOrderingBuffer(0, 16);
        var ready = new List<ChatMessage>();
        Assert.Equal(OfferOutcome.Delivered, buffer.Offer(Msg(1), ready));
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(3), ready));
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(4), ready));
        Assert.True(buffer.HasGap);
        Assert.Equal(OfferOutcome.Duplicate, buffer.Offer(Msg(3), ready));
        Assert.Equal(OfferOutcome.Delivered, buffer.Offer(Msg(2), ready));
        Assert.Equal([1L, 2, 3, 4], ready.Select(m => m.Seq));
        Assert.Equal(4, buffer.LastSeq);
        Assert.False(buffer.HasGap);
        Assert.Equal(OfferOutcome.Duplicate, buffer.Offer(Msg(2), ready));
    }

    [Fact]
    public void A_complete_page_skips_seqs_the_server_does_not_have()
    {
        var buffer = new SeqOrderingBuffer(10, 16);
        var ready = new List<ChatMessage>();
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(20), ready));
        // The history between 10 and 15 was trimmed: a page after 10 starts at 15.
        Assert.True(buffer.ApplyCompletePage(10, [Msg(15), Msg(16), Msg(20), Msg(21)], ready));
        Assert.Equal([15L, 16, 20, 21], ready.Select(m => m.Seq));
        Assert.Equal(21, buffer.LastSeq);
        Assert.False(buffer.HasGap);
    }

    [Fact]
    public void A_page_out_of_order_proves_nothing_and_is_only_offered()
    {
        var buffer = new SeqOrderingBuffer(0, 16);
        var ready = new List<ChatMessage>();
        Assert.False(buffer.ApplyCompletePage(0, [Msg(3), Msg(1)], ready));
        Assert.Equal([1L], ready.Select(m => m.Seq));
        Assert.True(buffer.HasGap);
    }

    [Fact]
    public void A_full_holding_area_drops_the_highest_seqs()
    {
        var buffer = new SeqOrderingBuffer(0, 2);
        var ready = new List<ChatMessage>();
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(5), ready));
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(3), ready));
        Assert.Equal(OfferOutcome.Dropped, buffer.Offer(Msg(9), ready));
        Assert.Equal(OfferOutcome.Held, buffer.Offer(Msg(4), ready));
        Assert.Equal(2, buffer.HeldCount);
        Assert.True(buffer.ApplyCompletePage(0, [Msg(1), Msg(2)], ready));
        Assert.Equal([1L, 2, 3, 4], ready.Select(m => m.Seq));
    }

    [Fact]
    public void SkipTo_starts_after_the_latest_seq()
    {
        var buffer = new SeqOrderingBuffer(0, 16);
        var ready = new List<ChatMessage>();
        buffer.SkipTo(100);
        Assert.Equal(OfferOutcome.Duplicate, buffer.Offer(Msg(100), ready));
        Assert.Equal(OfferOutcome.Delivered, buffer.Offer(Msg(101), ready));
        Assert.Equal(101, buffer.LastSeq);
    }

    /// <summary>
    /// Whatever mix of live messages (any order, duplicates, losses), stale and fresh Sync pages, and a
    /// small holding area: the app sees every stored seq exactly once, ascending, and nothing else.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Every_stored_message_is_delivered_once_in_order(PositiveInt count, int seed, bool holes, PositiveInt holdLimit)
    {
        var random = new Random(seed);
        var stored = Enumerable.Range(1, count.Get % 200 + 1)
            .Select(i => (long)i)
            .Where(_ => !holes || random.Next(4) != 0)
            .ToList();
        var buffer = new SeqOrderingBuffer(0, holdLimit.Get % 8 + 1);
        var ready = new List<ChatMessage>();
        (long AfterSeq, List<ChatMessage> Page)? pending = null;
        for (var step = 0; step < stored.Count * 3; step++)
        {
            switch (random.Next(5))
            {
                case 0 or 1 or 2 when stored.Count > 0:
                    buffer.Offer(Msg(stored[random.Next(stored.Count)]), ready);
                    break;
                case 3 when pending is null:
                    pending = (buffer.LastSeq, PageAfter(stored, buffer.LastSeq, random.Next(1, 10)));
                    break;
                case 4 when pending is { } page:
                    Assert.True(buffer.ApplyCompletePage(page.AfterSeq, page.Page, ready));
                    pending = null;
                    break;
            }
        }

        if (pending is { } last)
        {
            buffer.ApplyCompletePage(last.AfterSeq, last.Page, ready);
        }

        // Catch up the way the client does: page from LastSeq until the server has nothing more.
        while (PageAfter(stored, buffer.LastSeq, 7) is { Count: > 0 } page)
        {
            Assert.True(buffer.ApplyCompletePage(buffer.LastSeq, page, ready));
        }

        Assert.Equal(stored, ready.Select(m => m.Seq));
        Assert.False(buffer.HasGap);
    }

    private static List<ChatMessage> PageAfter(List<long> stored, long afterSeq, int limit) =>
        [.. stored.Where(s => s > afterSeq).Take(limit).Select(Msg)];

    private static ChatMessage Msg(long seq) => new()
    {
        Seq = seq,
        SenderId = "bob",
        Kind = MessageKind.Text,
        Body = new byte[] { (byte)seq },
        ServerTime = DateTimeOffset.UnixEpoch,
        ClientMsgId = $"m{seq}",
    };
}
