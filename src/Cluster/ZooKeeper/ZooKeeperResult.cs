namespace Chat.Cluster.ZooKeeper;

/// <summary>The outcome of a call that returns a value: <see cref="Value"/> is set when <see cref="Error"/> is Ok.</summary>
/// <remarks>A failed multi also carries its per-operation results in <see cref="Value"/>.</remarks>
public readonly record struct ZooKeeperResult<T>(ZooKeeperError Error, T? Value)
{
    public bool IsOk => Error == ZooKeeperError.Ok;

    public static ZooKeeperResult<T> Failed(ZooKeeperError error) => new(error, default);

    public static ZooKeeperResult<T> Ok(T value) => new(ZooKeeperError.Ok, value);
}
