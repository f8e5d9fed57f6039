using Chat.Gateway.Relay;
using Chat.Protocol.Framing;
using Chat.Tests.Gateway.Support;
using DotNetty.Buffers;

namespace Chat.Tests.Gateway.Relay;

public sealed class FrameSlicerTests
{
    [Fact]
    public void Whole_frames_pass_through_as_one_buffer()
    {
        using var slicer = new FrameSlicer(1024);
        var bytes = TestFrames.Numbered(1, 10).Concat(TestFrames.Numbered(2, 20)).ToArray();

        Assert.Equal(FrameStatus.Ok, slicer.Append(Unpooled.WrappedBuffer(bytes), out var frames));

        Assert.Equal(bytes, Drain(frames));
        Assert.Equal(0, slicer.PartialBytes);
    }

    [Fact]
    public void A_stream_cut_at_every_byte_comes_out_as_the_same_frames()
    {
        var random = new Random(42);
        var stream = Enumerable.Range(0, 50).SelectMany(i => TestFrames.Numbered(i, random.Next(4, 300))).ToArray();
        using var slicer = new FrameSlicer(1024);
        var output = new List<byte>();
        var position = 0;
        while (position < stream.Length)
        {
            var size = Math.Min(random.Next(1, 40), stream.Length - position);
            Assert.Equal(FrameStatus.Ok, slicer.Append(Unpooled.WrappedBuffer(stream, position, size), out var frames));
            var chunk = Drain(frames);
            // Every output chunk ends on a frame boundary.
            AssertWholeFrames(chunk);
            output.AddRange(chunk);
            position += size;
        }

        Assert.Equal(stream, output.ToArray());
        Assert.Equal(0, slicer.PartialBytes);
    }

    [Fact]
    public void Partial_frame_is_held_until_complete()
    {
        using var slicer = new FrameSlicer(1024);
        var frame = TestFrames.Numbered(7, 100);

        Assert.Equal(FrameStatus.Ok, slicer.Append(Unpooled.WrappedBuffer(frame, 0, 3), out var none));
        Assert.Null(none);
        Assert.Equal(FrameStatus.Ok, slicer.Append(Unpooled.WrappedBuffer(frame, 3, 50), out none));
        Assert.Null(none);
        Assert.Equal(53, slicer.PartialBytes);
        Assert.Equal(FrameStatus.Ok, slicer.Append(Unpooled.WrappedBuffer(frame, 53, frame.Length - 53), out var whole));
        Assert.Equal(frame, Drain(whole));
    }

    [Fact]
    public void Oversized_prefix_is_refused_before_buffering()
    {
        using var slicer = new FrameSlicer(1024);
        var prefix = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0 };

        Assert.Equal(FrameStatus.TooLarge, slicer.Append(Unpooled.WrappedBuffer(prefix), out var frames));
        Assert.Null(frames);
        Assert.Equal(0, slicer.PartialBytes);
    }

    [Fact]
    public void Empty_frame_is_refused()
    {
        using var slicer = new FrameSlicer(1024);
        var bytes = TestFrames.Numbered(1, 10).Concat(new byte[] { 0, 0, 0, 0 }).ToArray();

        Assert.Equal(FrameStatus.EmptyFrame, slicer.Append(Unpooled.WrappedBuffer(bytes), out var frames));
        Assert.Null(frames);
    }

    [Fact]
    public void Dispose_releases_the_partial_frame()
    {
        var slicer = new FrameSlicer(1024);
        var input = Unpooled.Buffer(16);
        input.WriteBytes(TestFrames.Numbered(1, 10), 0, 8);

        slicer.Append(input, out _);
        Assert.Equal(1, input.ReferenceCount);
        slicer.Dispose();

        Assert.Equal(0, input.ReferenceCount);
    }

    private static byte[] Drain(IByteBuffer? buffer)
    {
        if (buffer is null)
        {
            return [];
        }

        var bytes = new byte[buffer.ReadableBytes];
        buffer.ReadBytes(bytes);
        buffer.Release();
        return bytes;
    }

    private static void AssertWholeFrames(byte[] chunk)
    {
        var position = 0;
        while (position < chunk.Length)
        {
            var length = (chunk[position] << 24) | (chunk[position + 1] << 16) | (chunk[position + 2] << 8) | chunk[position + 3];
            position += 4 + length;
        }

        Assert.Equal(chunk.Length, position);
    }
}
