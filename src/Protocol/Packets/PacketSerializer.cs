using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Serialization;

namespace Chat.Protocol.Packets;

/// <summary>
/// Packet bodies without framing: a <see cref="ClientPacket"/> in Thrift compact protocol (no message
/// envelope). Parsing never throws on input bytes and allocates in proportion to the body only.
/// Thread-safe.
/// </summary>
public static class PacketSerializer
{
    /// <summary>Most elements a list, set or map in a packet may declare (SyncResult.messages).</summary>
    public const int MaxCollectionCount = ThriftBody.MaxCollectionCount;

    /// <summary>Deepest struct nesting accepted, unknown fields included (the schema needs 3).</summary>
    public const int MaxDepth = ThriftBody.MaxDepth;

    /// <summary>Appends the body of <paramref name="packet"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The packet does not set exactly one member (a bug in the caller).</exception>
    public static void Serialize(ClientPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scratch = ThriftScratch.Rent();
        Serialize(scratch, packet, output);
        ThriftScratch.Return(scratch);
    }

    /// <summary>
    /// Parses a body. Returns <see cref="FrameStatus.Ok"/> with the packet,
    /// <see cref="FrameStatus.UnknownPacket"/> (valid, but no member this build knows: answer
    /// Error{BadRequest}) or <see cref="FrameStatus.BadBody"/>.
    /// </summary>
    public static FrameStatus TryParse(in ReadOnlySequence<byte> body, out ClientPacket? packet)
    {
        var scratch = ThriftScratch.Rent();
        var status = Parse(scratch, body, out packet, out var reusable);
        if (reusable)
        {
            ThriftScratch.Return(scratch);
        }

        return status;
    }

    /// <inheritdoc cref="TryParse(in ReadOnlySequence{byte}, out ClientPacket?)"/>
    public static FrameStatus TryParse(ReadOnlySpan<byte> body, out ClientPacket? packet)
    {
        var scratch = ThriftScratch.Rent();
        scratch.Body.Write(body);
        var status = Parse(scratch, new ReadOnlySequence<byte>(scratch.Body.WrittenMemory), out packet, out var reusable);
        if (reusable)
        {
            ThriftScratch.Return(scratch);
        }

        return status;
    }

    internal static void Serialize(ThriftScratch scratch, ClientPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.MemberCount != 1)
        {
            throw new ArgumentException($"a ClientPacket must set exactly one member, this one sets {packet.MemberCount}", nameof(packet));
        }

        ThriftBody.Serialize(scratch, packet, output);
    }

    /// <param name="reusable">False when Thrift failed midway and the scratch must be dropped.</param>
    internal static FrameStatus Parse(ThriftScratch scratch, in ReadOnlySequence<byte> body, out ClientPacket? packet, out bool reusable)
    {
        packet = null;
        var result = new ClientPacket();
        if (!ThriftBody.TryDeserialize(scratch, body, result, out reusable))
        {
            return FrameStatus.BadBody;
        }

        switch (result.MemberCount)
        {
            case 0:
                return FrameStatus.UnknownPacket;
            case 1:
                packet = result;
                return FrameStatus.Ok;
            default:
                return FrameStatus.BadBody;
        }
    }
}
