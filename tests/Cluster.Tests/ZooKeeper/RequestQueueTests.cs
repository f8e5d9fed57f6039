using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

public sealed class RequestQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Keeps_order_bounds_its_size_and_frees_room_of_removed_requests()
    {
        var queue = new RequestQueue(2);
        var (a, b, c) = (Request(), Request(), Request());
        Assert.True(queue.TryEnqueue(a));
        Assert.True(queue.TryEnqueue(b));
        Assert.False(queue.TryEnqueue(c));

        queue.Remove(a);
        Assert.True(queue.TryEnqueue(c));
        Assert.Same(b, await queue.DequeueAsync(CancellationToken.None).AsTask().WaitAsync(Bound));
        Assert.Same(c, await queue.DequeueAsync(CancellationToken.None).AsTask().WaitAsync(Bound));
        queue.Remove(c);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_waiting_reader_wakes_on_enqueue_and_on_close()
    {
        var queue = new RequestQueue(4);
        var waiting = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        var a = Request();
        queue.TryEnqueue(a);
        Assert.Same(a, await waiting.WaitAsync(Bound));

        var next = queue.DequeueAsync(CancellationToken.None).AsTask();
        queue.TryEnqueue(Request());
        await next.WaitAsync(Bound);
        var last = queue.DequeueAsync(CancellationToken.None).AsTask();
        Assert.Empty(queue.Close());
        Assert.Null(await last.WaitAsync(Bound));
        Assert.False(queue.TryEnqueue(Request()));
    }

    private static ZooKeeperRequest<bool> Request() => new(OpCode.Exists, RequestEncoder.Read(OpCode.Exists, "/a", false), ReplyParsers.None);
}
