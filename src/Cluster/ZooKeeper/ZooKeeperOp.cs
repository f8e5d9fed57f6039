namespace Chat.Cluster.ZooKeeper;

/// <summary>One operation of a multi (all apply or none). Build with the factory methods.</summary>
public sealed record ZooKeeperOp
{
    private ZooKeeperOp(ZooKeeperOpKind kind, string path, ReadOnlyMemory<byte> data, CreateMode mode, int version)
    {
        Kind = kind;
        Path = path;
        Data = data;
        Mode = mode;
        Version = version;
    }

    public ZooKeeperOpKind Kind { get; }

    public string Path { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public CreateMode Mode { get; }

    /// <summary>Expected version for Delete, SetData and Check; -1 matches any.</summary>
    public int Version { get; }

    public static ZooKeeperOp Create(string path, ReadOnlyMemory<byte> data, CreateMode mode) =>
        new(ZooKeeperOpKind.Create, path, data, mode, -1);

    public static ZooKeeperOp Delete(string path, int version = -1) =>
        new(ZooKeeperOpKind.Delete, path, default, CreateMode.Persistent, version);

    public static ZooKeeperOp SetData(string path, ReadOnlyMemory<byte> data, int version = -1) =>
        new(ZooKeeperOpKind.SetData, path, data, CreateMode.Persistent, version);

    /// <summary>Fails the multi with BadVersion unless the node's version is <paramref name="version"/>.</summary>
    public static ZooKeeperOp Check(string path, int version) =>
        new(ZooKeeperOpKind.Check, path, default, CreateMode.Persistent, version);
}
