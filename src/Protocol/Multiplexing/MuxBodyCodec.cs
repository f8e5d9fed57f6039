using System.Buffers;
using Chat.Protocol.Serialization;
using Thrift.Protocol;

namespace Chat.Protocol.Multiplexing;

/// <summary>
/// Encodes and decodes the Thrift (compact protocol) bodies of the mux control frames. Control
/// frames are rare (handshake, one Open and one Reset per stream), so Thrift's cost is fine here.
/// Decoding never throws on bad input and never allocates more than the payload's size allows
/// (<see cref="ThriftBody"/>, the same boundary the client packets use).
/// </summary>
public static class MuxBodyCodec
{
    /// <summary>Encodes a control body.</summary>
    public static byte[] Encode(TBase body)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        ThriftBody.Serialize(body, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a control body into <paramref name="writer"/> and returns the byte count.</summary>
    public static int Encode(TBase body, IBufferWriter<byte> writer)
    {
        var counting = new ArrayBufferWriter<byte>(128);
        ThriftBody.Serialize(body, counting);
        writer.Write(counting.WrittenSpan);
        return counting.WrittenCount;
    }

    /// <summary>Decodes a Challenge body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxChallenge? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes a Hello body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxHello? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes a HelloOk body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxHelloOk? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes an Open body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxOpen? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes a Reset body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxReset? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes a GoAway body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxGoAway? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    /// <summary>Decodes a Settings body and checks its fields.</summary>
    public static MuxBodyStatus TryDecode(ReadOnlySpan<byte> payload, out MuxSettings? body) =>
        Finish(Parse(payload, out body), body is not null && MuxBodyRules.IsValid(body));

    private static MuxBodyStatus Finish(bool parsed, bool valid) =>
        !parsed ? MuxBodyStatus.Malformed : valid ? MuxBodyStatus.Ok : MuxBodyStatus.Invalid;

    private static bool Parse<T>(ReadOnlySpan<byte> payload, out T? body)
        where T : class, TBase, new()
    {
        body = null;
        // An empty payload would parse as a struct with no fields; no control body is empty.
        // Otherwise the shared Thrift boundary (bounded collections and nesting, no trailing bytes,
        // every Thrift failure on bad bytes as a result) decides, as it does for client packets.
        return !payload.IsEmpty && ThriftBody.TryDeserialize(new ReadOnlySequence<byte>(payload.ToArray()), out body);
    }
}
