namespace Chat.Cluster.ZooKeeper;

/// <summary>Request types on the wire (<c>ZooDefs.OpCode</c>).</summary>
internal enum OpCode
{
    Error = -1,
    CloseSession = -11,
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    SetWatches = 101,
}
