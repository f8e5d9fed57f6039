using System.Buffers.Binary;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// One call on its way: the encoded frame (length and xid filled in when it is written), the watch
/// it asks for, and the completion its caller awaits.
/// </summary>
internal abstract class ZooKeeperRequest
{
    protected ZooKeeperRequest(OpCode op, byte[] frame, WatchRegistration? watch)
    {
        Op = op;
        Frame = frame;
        Watch = watch;
    }

    public OpCode Op { get; }

    /// <summary>u32 length | i32 xid | i32 op | body.</summary>
    public byte[] Frame { get; }

    public WatchRegistration? Watch { get; }

    public int Xid { get; private set; }

    public abstract bool IsCompleted { get; }

    public void StampXid(int xid)
    {
        Xid = xid;
        BinaryPrimitives.WriteInt32BigEndian(Frame.AsSpan(4), xid);
    }

    /// <summary>Completes with the server's reply. Throws <see cref="JuteFormatException"/> on a malformed body.</summary>
    public abstract void Complete(ZooKeeperError error, ReadOnlySpan<byte> body);

    public abstract void Fail(ZooKeeperError error);

    public abstract void Cancel(CancellationToken cancellationToken);

    /// <summary>Starts a frame: room for the length, the xid (stamped later) and the op code.</summary>
    public static JuteWriter StartFrame(OpCode op)
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        writer.WriteInt(0);
        writer.WriteInt((int)op);
        return writer;
    }
}
