using System.Buffers;
using Chat.Protocol.Framing;
using Thrift;

namespace Chat.Protocol.Packets;

/// <summary>
/// Packet bodies without framing: a <see cref="ClientPacket"/> in Thrift compact protocol (no message
/// envelope). Parsing never throws on input bytes and allocates in proportion to the body only.
/// Thread-safe.
/// </summary>
public static class PacketSerializer
{
    /// <summary>Most elements a list, set or map in a packet may declare (SyncResult.messages).</summary>
    public const int MaxCollectionCount = 4096;

    /// <summary>
    /// Deepest struct nesting accepted, unknown fields included. The schema needs 3
    /// (ClientPacket > SyncResult > Message); the slack is for fields added later.
    /// </summary>
    public const int MaxDepth = 16;

    /// <summary>Appends the body of <paramref name="packet"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The packet does not set exactly one member (a bug in the caller).</exception>
    public static void Serialize(ClientPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var scratch = PacketScratch.Rent();
        Serialize(scratch, packet, output);
        PacketScratch.Return(scratch);
    }

    /// <summary>
    /// Parses a body. Returns <see cref="FrameStatus.Ok"/> with the packet,
    /// <see cref="FrameStatus.UnknownPacket"/> (valid, but no member this build knows: answer
    /// Error{BadRequest}) or <see cref="FrameStatus.BadBody"/>.
    /// </summary>
    public static FrameStatus TryParse(in ReadOnlySequence<byte> body, out ClientPacket? packet)
    {
        var scratch = PacketScratch.Rent();
        var status = Parse(scratch, body, out packet, out var reusable);
        if (reusable)
        {
            PacketScratch.Return(scratch);
        }

        return status;
    }

    /// <inheritdoc cref="TryParse(in ReadOnlySequence{byte}, out ClientPacket?)"/>
    public static FrameStatus TryParse(ReadOnlySpan<byte> body, out ClientPacket? packet)
    {
        var scratch = PacketScratch.Rent();
        scratch.Body.Write(body);
        var status = Parse(scratch, new ReadOnlySequence<byte>(scratch.Body.WrittenMemory), out packet, out var reusable);
        if (reusable)
        {
            PacketScratch.Return(scratch);
        }

        return status;
    }

    internal static void Serialize(PacketScratch scratch, ClientPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.MemberCount != 1)
        {
            throw new ArgumentException($"a ClientPacket must set exactly one member, this one sets {packet.MemberCount}", nameof(packet));
        }

        scratch.WriteTransport.Reset(output);
        // Completes synchronously: the transport appends to memory. An exception here is a bug
        // (e.g. a null element in a list) and propagates; the scratch is then simply not returned.
        RunSynchronously(packet.WriteAsync(scratch.Writer, CancellationToken.None));
        scratch.WriteTransport.Reset(null);
    }

    /// <param name="reusable">False when Thrift failed midway and the scratch must be dropped.</param>
    internal static FrameStatus Parse(PacketScratch scratch, in ReadOnlySequence<byte> body, out ClientPacket? packet, out bool reusable)
    {
        packet = null;
        reusable = true;
        var result = new ClientPacket();
        try
        {
            scratch.ReadTransport.Reset(body);
            RunSynchronously(result.ReadAsync(scratch.Reader, CancellationToken.None));
        }
        catch (Exception ex) when (IsMalformedInput(ex))
        {
            // This is the one place where Thrift's exceptions for bad bytes become a status.
            reusable = false;
            return FrameStatus.BadBody;
        }

        // The union ends with its stop field: bytes after it mean a framing bug or garbage.
        if (scratch.ReadTransport.Remaining != 0)
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

    private static void RunSynchronously(Task task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("Thrift did not complete synchronously over an in-memory transport");
        }

        task.GetAwaiter().GetResult();
    }

    // Thrift reports bad bytes with its own exceptions, except a negative string length below 128,
    // which reaches Encoding.UTF8.GetString as a negative count (ArgumentOutOfRangeException); see
    // PacketCodecHostileInputTests.Crafted_string_and_binary_lengths_are_a_bad_body.
    private static bool IsMalformedInput(Exception ex) =>
        ex is TException or ArgumentException;
}
