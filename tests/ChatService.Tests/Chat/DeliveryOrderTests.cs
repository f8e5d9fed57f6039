using Chat.ChatService.Chat;
using Chat.Protocol.Packets;

namespace Chat.Tests.ChatService.Chat;

public sealed class DeliveryOrderTests
{
    private static PendingDelivery Item(long seq) => new(new Message { Seq = seq }, null);

    private static List<long> Add(DeliveryOrder order, long seq)
    {
        var ready = new List<PendingDelivery>();
        order.Add(seq, Item(seq), ready);
        return [.. ready.Select(r => r.Message.Seq)];
    }

    [Fact]
    public void Out_of_order_appends_come_out_in_seq_order()
    {
        var order = new DeliveryOrder();
        order.Observe(10);
        Assert.Empty(Add(order, 13));
        Assert.Empty(Add(order, 12));
        Assert.Equal([11, 12, 13], Add(order, 11));
        Assert.Equal(14, order.Next);
        Assert.False(order.HasGap);
    }

    [Fact]
    public void A_gap_that_never_fills_is_skipped_on_request()
    {
        var order = new DeliveryOrder();
        order.Observe(0);
        Assert.Empty(Add(order, 3));
        Assert.Empty(Add(order, 4));
        Assert.True(order.HasGap);
        var ready = new List<PendingDelivery>();
        order.SkipGap(ready);
        Assert.Equal([3, 4], ready.Select(r => r.Message.Seq));
        // The skipped seq arriving late is still delivered (the device orders by seq).
        Assert.Equal([1], Add(order, 1));
    }

    [Fact]
    public void Observing_a_newer_latest_seq_moves_the_cursor_only_when_nothing_waits()
    {
        var order = new DeliveryOrder();
        order.Observe(5);
        order.Observe(9);
        Assert.Equal(10, order.Next);
        Assert.Empty(Add(order, 12));
        order.Observe(20);
        Assert.Equal(10, order.Next);
    }

    [Fact]
    public void An_unknown_start_begins_at_the_first_stored_seq()
    {
        var order = new DeliveryOrder();
        Assert.Equal([7], Add(order, 7));
        Assert.Equal([8], Add(order, 8));
    }
}
