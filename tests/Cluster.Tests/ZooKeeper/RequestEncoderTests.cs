using System.Buffers.Binary;
using System.Text;
using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

/// <summary>Request frames byte for byte against zookeeper.jute.</summary>
public sealed class RequestEncoderTests
{
    [Fact]
    public void Connect_request_is_the_jute_record_then_the_read_only_byte()
    {
        var frame = RequestEncoder.Connect(lastZxid: 0x1122, timeoutMs: 10_000, sessionId: 0x0102030405060708, password: new byte[16]);
        var reader = new JuteReader(frame);
        Assert.Equal(frame.Length - 4, reader.ReadInt());
        Assert.Equal(0, reader.ReadInt());
        Assert.Equal(0x1122, reader.ReadLong());
        Assert.Equal(10_000, reader.ReadInt());
        Assert.Equal(0x0102030405060708, reader.ReadLong());
        Assert.Equal(new byte[16], reader.ReadBuffer());
        Assert.False(reader.ReadBool());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Create_carries_the_open_acl_and_the_mode_flags()
    {
        var request = new ZooKeeperRequest<bool>(OpCode.Create, RequestEncoder.Create("/a", [7], CreateMode.EphemeralSequential), ReplyParsers.None);
        request.StampXid(42);
        var reader = new JuteReader(request.Frame);
        Assert.Equal(request.Frame.Length - 4, reader.ReadInt());
        Assert.Equal(42, reader.ReadInt());
        Assert.Equal((int)OpCode.Create, reader.ReadInt());
        Assert.Equal("/a", reader.ReadString());
        Assert.Equal([7], reader.ReadBuffer());
        Assert.Equal(1, reader.ReadInt());
        Assert.Equal(31, reader.ReadInt());
        Assert.Equal("world", reader.ReadString());
        Assert.Equal("anyone", reader.ReadString());
        Assert.Equal(3, reader.ReadInt());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Multi_frames_each_operation_with_a_header_and_ends_with_done()
    {
        var frame = RequestEncoder.Multi(
            [ZooKeeperOp.Check("/c", 4), ZooKeeperOp.Delete("/d", 2), ZooKeeperOp.SetData("/s", new byte[] { 1 }, 3)],
            chroot: "/root");
        var reader = new JuteReader(frame.AsSpan(12));
        Assert.Equal((13, false, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(("/root/c", 4), (reader.ReadString(), reader.ReadInt()));
        Assert.Equal((2, false, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(("/root/d", 2), (reader.ReadString(), reader.ReadInt()));
        Assert.Equal((5, false, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal("/root/s", reader.ReadString());
        Assert.Equal([1], reader.ReadBuffer());
        Assert.Equal(3, reader.ReadInt());
        Assert.Equal((-1, true, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Set_watches_splits_large_sets_and_keeps_every_path_once()
    {
        var data = Enumerable.Range(0, 3000).Select(i => $"/data/{new string('d', 40)}/{i}").ToList();
        var exist = Enumerable.Range(0, 10).Select(i => $"/exist/{i}").ToList();
        var child = Enumerable.Range(0, 2000).Select(i => $"/child/{new string('c', 40)}/{i}").ToList();
        var frames = RequestEncoder.SetWatches(77, data, exist, child);
        Assert.True(frames.Count > 1);

        var seen = (Data: new List<string>(), Exist: new List<string>(), Child: new List<string>());
        foreach (var frame in frames)
        {
            Assert.True(frame.Length < 140 * 1024, $"frame of {frame.Length} bytes");
            Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32BigEndian(frame));
            var reader = new JuteReader(frame.AsSpan(8));
            Assert.Equal((int)OpCode.SetWatches, reader.ReadInt());
            Assert.Equal(77, reader.ReadLong());
            seen.Data.AddRange(reader.ReadStringVector());
            seen.Exist.AddRange(reader.ReadStringVector());
            seen.Child.AddRange(reader.ReadStringVector());
            Assert.Equal(0, reader.Remaining);
        }

        Assert.Equal(data, seen.Data);
        Assert.Equal(exist, seen.Exist);
        Assert.Equal(child, seen.Child);
    }

    [Fact]
    public void Set_watches_with_no_watch_sends_nothing() => Assert.Empty(RequestEncoder.SetWatches(1, [], [], []));

    [Fact]
    public void Reads_carry_the_path_and_the_watch_flag()
    {
        var frame = RequestEncoder.Read(OpCode.GetChildren2, "/chat/ring", watch: true);
        var reader = new JuteReader(frame.AsSpan(8));
        Assert.Equal(12, reader.ReadInt());
        Assert.Equal("/chat/ring", reader.ReadString());
        Assert.True(reader.ReadBool());
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(Encoding.UTF8.GetByteCount("/chat/ring") + 4 + 1 + 8, frame.Length - 4);
    }
}
