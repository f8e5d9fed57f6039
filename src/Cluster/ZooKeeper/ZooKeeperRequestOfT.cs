namespace Chat.Cluster.ZooKeeper;

/// <summary>A call whose result is a <see cref="ZooKeeperResult{T}"/>.</summary>
internal sealed class ZooKeeperRequest<T> : ZooKeeperRequest
{
    // Continuations run on the thread pool, never on the socket reader (StackExchange.Redis "thread theft").
    private readonly TaskCompletionSource<ZooKeeperResult<T>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ReplyParser<T> _parser;

    public ZooKeeperRequest(OpCode op, byte[] frame, ReplyParser<T> parser, WatchRegistration? watch = null)
        : base(op, frame, watch)
    {
        _parser = parser;
    }

    public Task<ZooKeeperResult<T>> Task => _completion.Task;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override void Complete(ZooKeeperError error, ReadOnlySpan<byte> body)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        var reader = new JuteReader(body);
        _completion.TrySetResult(_parser(error, ref reader));
    }

    public override void Fail(ZooKeeperError error) => _completion.TrySetResult(ZooKeeperResult<T>.Failed(error));

    public override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
