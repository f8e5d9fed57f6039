namespace Chat.Cluster.ZooKeeper;

/// <summary>Request frames (zookeeper.jute *Request records) for paths already mapped to the server (chroot applied).</summary>
internal static class RequestEncoder
{
    /// <summary>Open ACL: perms ALL (31) for world:anyone.</summary>
    private const int AllPermissions = 31;

    public static byte[] Create(string path, ReadOnlySpan<byte> data, CreateMode mode)
    {
        var writer = ZooKeeperRequest.StartFrame(OpCode.Create);
        WriteCreate(writer, path, data, mode);
        return writer.ToFrame();
    }

    public static byte[] Delete(string path, int version)
    {
        var writer = ZooKeeperRequest.StartFrame(OpCode.Delete);
        writer.WriteString(path);
        writer.WriteInt(version);
        return writer.ToFrame();
    }

    /// <summary>Exists, GetData and GetChildren2 share the body {path, watch}.</summary>
    public static byte[] Read(OpCode op, string path, bool watch)
    {
        var writer = ZooKeeperRequest.StartFrame(op);
        writer.WriteString(path);
        writer.WriteBool(watch);
        return writer.ToFrame();
    }

    public static byte[] SetData(string path, ReadOnlySpan<byte> data, int version)
    {
        var writer = ZooKeeperRequest.StartFrame(OpCode.SetData);
        WriteSetData(writer, path, data, version);
        return writer.ToFrame();
    }

    public static byte[] Multi(IReadOnlyList<ZooKeeperOp> ops, string chroot)
    {
        var writer = ZooKeeperRequest.StartFrame(OpCode.Multi);
        foreach (var op in ops)
        {
            writer.WriteInt((int)op.Kind);
            writer.WriteBool(false);
            writer.WriteInt(-1);
            var path = ZooKeeperPath.ToServer(chroot, op.Path);
            switch (op.Kind)
            {
                case ZooKeeperOpKind.Create:
                    WriteCreate(writer, path, op.Data.Span, op.Mode);
                    break;
                case ZooKeeperOpKind.Delete:
                case ZooKeeperOpKind.Check:
                    writer.WriteString(path);
                    writer.WriteInt(op.Version);
                    break;
                case ZooKeeperOpKind.SetData:
                    WriteSetData(writer, path, op.Data.Span, op.Version);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(ops), op.Kind, "unknown multi operation");
            }
        }

        writer.WriteInt(-1);
        writer.WriteBool(true);
        writer.WriteInt(-1);
        return writer.ToFrame();
    }

    /// <summary>Header-only requests: Ping (xid -2) and CloseSession.</summary>
    public static byte[] Empty(OpCode op) => ZooKeeperRequest.StartFrame(op).ToFrame();

    /// <summary>
    /// SetWatches frames re-arming the given server paths, split so none exceeds about 128 KB
    /// (a server refuses a frame above jute.maxbuffer).
    /// </summary>
    public static List<byte[]> SetWatches(long relativeZxid, IReadOnlyList<string> data, IReadOnlyList<string> exist, IReadOnlyList<string> child)
    {
        const int Budget = 128 * 1024;
        var frames = new List<byte[]>();
        var lists = new[] { data, exist, child };
        var batch = new[] { new List<string>(), new List<string>(), new List<string>() };
        var size = 0;
        for (var kind = 0; kind < lists.Length; kind++)
        {
            foreach (var path in lists[kind])
            {
                var cost = System.Text.Encoding.UTF8.GetByteCount(path) + 4;
                if (size > 0 && size + cost > Budget)
                {
                    frames.Add(SetWatchesFrame(relativeZxid, batch));
                    size = 0;
                }

                batch[kind].Add(path);
                size += cost;
            }
        }

        if (size > 0)
        {
            frames.Add(SetWatchesFrame(relativeZxid, batch));
        }

        return frames;
    }

    /// <summary>
    /// ConnectRequest {protocolVersion, lastZxidSeen, timeOut, sessionId, passwd} followed by the
    /// readOnly flag, which is not in the jute record (the server echoes it only if sent).
    /// </summary>
    public static byte[] Connect(long lastZxid, int timeoutMs, long sessionId, ReadOnlySpan<byte> password)
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        writer.WriteInt(0);
        writer.WriteLong(lastZxid);
        writer.WriteInt(timeoutMs);
        writer.WriteLong(sessionId);
        writer.WriteBuffer(password);
        writer.WriteBool(false);
        return writer.ToFrame();
    }

    private static byte[] SetWatchesFrame(long relativeZxid, List<string>[] batch)
    {
        var writer = ZooKeeperRequest.StartFrame(OpCode.SetWatches);
        writer.WriteLong(relativeZxid);
        foreach (var paths in batch)
        {
            writer.WriteStringVector(paths);
            paths.Clear();
        }

        return writer.ToFrame();
    }

    private static void WriteCreate(JuteWriter writer, string path, ReadOnlySpan<byte> data, CreateMode mode)
    {
        writer.WriteString(path);
        writer.WriteBuffer(data);
        writer.WriteInt(1);
        writer.WriteInt(AllPermissions);
        writer.WriteString("world");
        writer.WriteString("anyone");
        writer.WriteInt((int)mode);
    }

    private static void WriteSetData(JuteWriter writer, string path, ReadOnlySpan<byte> data, int version)
    {
        writer.WriteString(path);
        writer.WriteBuffer(data);
        writer.WriteInt(version);
    }
}
