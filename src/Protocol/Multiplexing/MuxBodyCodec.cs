using System.Buffers;
using Thrift;
using Thrift.Protocol;
using Thrift.Transport.Client;

namespace Chat.Protocol.Multiplexing;

/// <summary>
/// Encodes and decodes the Thrift (compact protocol) bodies of the mux control frames. Control
/// frames are rare (handshake, one Open and one Reset per stream), so Thrift's cost is fine here.
/// Decoding never throws on bad input and never allocates more than the payload's size allows:
/// Thrift checks every length prefix against the remaining message size.
/// </summary>
public static class MuxBodyCodec
{
    // Nested structs are one level deep (Settings inside Hello/HelloOk); unknown fields may nest a
    // little more in later versions. The limit stops a crafted body from recursing deeply.
    private const int RecursionLimit = 16;

    /// <summary>Encodes a control body.</summary>
    public static byte[] Encode(TBase body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var transport = Serialize(body);
        return transport.GetBuffer().AsSpan(0, transport.Length).ToArray();
    }

    /// <summary>Encodes a control body into <paramref name="writer"/> and returns the byte count.</summary>
    public static int Encode(TBase body, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(writer);
        using var transport = Serialize(body);
        var bytes = transport.GetBuffer().AsSpan(0, transport.Length);
        writer.Write(bytes);
        return bytes.Length;
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

    private static TMemoryBufferTransport Serialize(TBase body)
    {
        var transport = new TMemoryBufferTransport(new TConfiguration(), 128);
        using var protocol = new TCompactProtocol(transport);
        RunSynchronously(body.WriteAsync(protocol, CancellationToken.None));
        return transport;
    }

    private static bool Parse<T>(ReadOnlySpan<byte> payload, out T? body)
        where T : class, TBase, new()
    {
        body = null;
        if (payload.IsEmpty)
        {
            // An empty payload would parse as a struct with no fields; no control body is empty.
            return false;
        }

        var configuration = new TConfiguration
        {
            MaxMessageSize = payload.Length,
            MaxFrameSize = payload.Length,
            RecursionLimit = RecursionLimit,
        };
        using var transport = new TMemoryBufferTransport(payload.ToArray(), configuration);
        using var protocol = new TCompactProtocol(transport);
        var result = new T();
        try
        {
            RunSynchronously(result.ReadAsync(protocol, CancellationToken.None));
        }
        catch (TException)
        {
            // Truncated input, a length past the end, an unknown type id, recursion too deep:
            // all are a malformed body, reported as a status.
            return false;
        }

        if (transport.Position != transport.Length)
        {
            // Bytes after the struct's stop field: not a body we wrote.
            return false;
        }

        body = result;
        return true;
    }

    // Thrift's netstd API is asynchronous; over an in-memory transport every call completes
    // synchronously, so waiting cannot block. A pending task would be a bug in this assumption.
    private static void RunSynchronously(Task task)
    {
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("Thrift over a memory transport did not complete synchronously");
        }

        task.GetAwaiter().GetResult();
    }
}
