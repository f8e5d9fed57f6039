using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Serialization;

namespace Chat.Protocol.Packets;

/// <summary>
/// Whole client frames holding one <see cref="ClientPacket"/> each: Thrift body plus framing, LZ4 and
/// limits of a <see cref="FrameCodec"/>. Stateless and thread-safe; reuses per-thread buffers.
/// </summary>
public sealed class PacketCodec
{
    /// <summary>Creates a codec enforcing the limits of <paramref name="frames"/>.</summary>
    public PacketCodec(FrameCodec frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        Frames = frames;
    }

    /// <summary>A codec with <see cref="FrameOptions.Default"/>.</summary>
    public static PacketCodec Default { get; } = new(FrameCodec.Default);

    /// <summary>The frame codec (limits) in use.</summary>
    public FrameCodec Frames { get; }

    /// <summary>
    /// Appends one frame holding <paramref name="packet"/> to <paramref name="output"/>. Returns
    /// <see cref="FrameStatus.Ok"/>, or <see cref="FrameStatus.TooLarge"/> (nothing written) when the
    /// packet does not fit the limits.
    /// </summary>
    /// <exception cref="ArgumentException">The packet does not set exactly one member (a bug in the caller).</exception>
    public FrameStatus Write(ClientPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scratch = ThriftScratch.Rent();
        PacketSerializer.Serialize(scratch, packet, scratch.Body);
        var status = Frames.Encode(scratch.Body.WrittenSpan, output);
        ThriftScratch.Return(scratch);
        return status;
    }

    /// <summary>
    /// Reads the first frame of <paramref name="buffer"/> and parses its packet.
    /// <list type="bullet">
    /// <item><see cref="FrameStatus.Ok"/>: <paramref name="packet"/> is set, the buffer is moved past the frame.</item>
    /// <item><see cref="FrameStatus.NeedMoreData"/>: nothing consumed; call again with more bytes.</item>
    /// <item><see cref="FrameStatus.UnknownPacket"/>, <see cref="FrameStatus.BadBody"/>: the frame was
    /// consumed (its boundaries were fine); see <see cref="FrameStatusExtensions.ClosesConnection"/>.</item>
    /// <item>other statuses: framing is broken, nothing consumed; close the connection.</item>
    /// </list>
    /// </summary>
    public FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, out ClientPacket? packet)
    {
        packet = null;
        var scratch = ThriftScratch.Rent();
        var rest = buffer;
        var status = Frames.TryDecode(ref rest, scratch.Body);
        var reusable = true;
        if (status == FrameStatus.Ok)
        {
            buffer = rest;
            status = PacketSerializer.Parse(scratch, new ReadOnlySequence<byte>(scratch.Body.WrittenMemory), out packet, out reusable);
        }

        if (reusable)
        {
            ThriftScratch.Return(scratch);
        }

        return status;
    }
}
