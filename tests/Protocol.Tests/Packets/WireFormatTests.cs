using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Tests.Protocol.Packets;

/// <summary>Pins the bytes of the examples in docs/protocol.md, so the document stays true.</summary>
public class WireFormatTests
{
    [Fact]
    public void Ping_frame_is_the_documented_bytes()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.Write(new Ping { Nonce = 1 }, output));

        Assert.Equal(Convert.FromHexString("0000000600BC16020000"), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Typing_frame_is_the_documented_bytes()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(FrameStatus.Ok, PacketCodec.Default.Write(new Typing { On = true }, output));

        Assert.Equal(Convert.FromHexString("00000005006C110000"), output.WrittenSpan.ToArray());
    }
}
