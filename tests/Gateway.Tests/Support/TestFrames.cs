using System.Buffers;
using System.Buffers.Binary;
using Chat.Protocol.Packets;

namespace Chat.Tests.Gateway.Support;

/// <summary>Client frames for tests: raw frames with an opaque body, and encoded packets.</summary>
public static class TestFrames
{
    /// <summary>A frame with flags 0 and <paramref name="body"/> (the gateway never looks inside).</summary>
    public static byte[] Raw(ReadOnlySpan<byte> body)
    {
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(1 + body.Length));
        body.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>A frame of <paramref name="bodyLength"/> bytes whose body encodes <paramref name="index"/> (for order checks).</summary>
    public static byte[] Numbered(int index, int bodyLength)
    {
        var body = new byte[Math.Max(bodyLength, 4)];
        BinaryPrimitives.WriteInt32BigEndian(body, index);
        for (var i = 4; i < body.Length; i++)
        {
            body[i] = (byte)((index + i) % 251);
        }

        return Raw(body);
    }

    public static int NumberOf(byte[] frame) => BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(5));

    public static byte[] Packet(ClientPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        PacketCodec.Default.Write(packet, output);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Auth(string token, string deviceId = "d1") => Packet(new Auth { Token = token, DeviceId = deviceId, LastSeq = 0 });

    public static ClientPacket? Decode(byte[] frame)
    {
        var sequence = new ReadOnlySequence<byte>(frame);
        return PacketCodec.Default.TryRead(ref sequence, out var packet) == Chat.Protocol.Framing.FrameStatus.Ok ? packet : null;
    }
}
