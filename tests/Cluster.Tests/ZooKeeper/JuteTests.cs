using Chat.Cluster.ZooKeeper;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Chat.Tests.Cluster.ZooKeeper;

/// <summary>The jute encoding: big-endian, length-prefixed, -1 for null; hostile lengths rejected.</summary>
public sealed class JuteTests
{
    [Fact]
    public void Writes_big_endian_length_prefixed_fields()
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        writer.WriteInt(0x01020304);
        writer.WriteLong(-2);
        writer.WriteBool(true);
        writer.WriteString("/é");
        writer.WriteBuffer([9, 8]);
        writer.WriteStringVector(["a"]);
        Assert.Equal(
            new byte[]
            {
                0, 0, 0, 35,
                1, 2, 3, 4,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                1,
                0, 0, 0, 3, (byte)'/', 0xc3, 0xa9,
                0, 0, 0, 2, 9, 8,
                0, 0, 0, 1, 0, 0, 0, 1, (byte)'a',
            },
            writer.ToFrame());
    }

    [Fact]
    public void Reads_back_what_it_wrote_and_null_as_null()
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        writer.WriteInt(-7);
        writer.WriteLong(long.MaxValue);
        writer.WriteBool(false);
        writer.WriteString("/chat/ring");
        writer.WriteInt(-1);
        writer.WriteBuffer([1, 2, 3]);
        writer.WriteStringVector(["x", "yz"]);
        var frame = writer.ToFrame();

        var reader = new JuteReader(frame.AsSpan(4));
        Assert.Equal(-7, reader.ReadInt());
        Assert.Equal(long.MaxValue, reader.ReadLong());
        Assert.False(reader.ReadBool());
        Assert.Equal("/chat/ring", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal([1, 2, 3], reader.ReadBuffer());
        Assert.Equal(["x", "yz"], reader.ReadStringVector().ToArray());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Reads_a_stat_in_jute_field_order()
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        foreach (var value in new long[] { 1, 2, 3, 4 })
        {
            writer.WriteLong(value);
        }

        writer.WriteInt(5);
        writer.WriteInt(6);
        writer.WriteInt(7);
        writer.WriteLong(8);
        writer.WriteInt(9);
        writer.WriteInt(10);
        writer.WriteLong(11);
        var frame = writer.ToFrame();
        var reader = new JuteReader(frame.AsSpan(4));
        Assert.Equal(new ZooKeeperStat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), reader.ReadStat());
        Assert.Equal(4 + 68, frame.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 5, 1, 2 })]
    [InlineData(new byte[] { 0x7f, 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xfe })]
    [InlineData(new byte[] { 0, 0 })]
    public void Refuses_lengths_beyond_the_frame(byte[] frame)
    {
        Assert.Throws<JuteFormatException>(() =>
        {
            var reader = new JuteReader(frame);
            reader.ReadBuffer();
        });
        Assert.Throws<JuteFormatException>(() =>
        {
            var reader = new JuteReader(frame);
            reader.ReadString();
        });
    }

    [Fact]
    public void Refuses_a_vector_count_that_the_frame_cannot_hold()
    {
        byte[] frame = [0x00, 0x10, 0x00, 0x00, 0, 0, 0, 0];
        Assert.Throws<JuteFormatException>(() =>
        {
            var reader = new JuteReader(frame);
            reader.ReadStringVector();
        });
    }

    [Property(Replay = "(20251123,41)", MaxTest = 500)]
    public Property Arbitrary_bytes_never_throw_anything_but_a_format_error(byte[] frame) =>
        Prop.ToProperty(ReadsOrRefuses(frame));

    private static bool ReadsOrRefuses(byte[] frame)
    {
        try
        {
            var reader = new JuteReader(frame);
            reader.ReadInt();
            reader.ReadStringVector();
            reader.ReadStat();
            reader.ReadBuffer();
            reader.ReadString();
            return true;
        }
        catch (JuteFormatException)
        {
            return true;
        }
    }
}
