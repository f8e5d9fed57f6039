using System.Buffers;
using Thrift;
using Thrift.Protocol;

namespace Chat.Protocol.Serialization;

/// <summary>
/// One Thrift struct (or union) as a compact-protocol body without message envelope: the encoding of
/// client packets and of Thrift-defined mux control frames. Parsing never throws on input bytes,
/// refuses trailing bytes, and bounds collections and nesting, so allocation follows the body size.
/// </summary>
internal static class ThriftBody
{
    /// <summary>Most elements a list, set or map may declare.</summary>
    public const int MaxCollectionCount = 4096;

    /// <summary>
    /// Deepest struct nesting accepted, unknown fields included. The client schema needs 3
    /// (ClientPacket > SyncResult > Message); the slack is for fields added later.
    /// </summary>
    public const int MaxDepth = 16;

    /// <summary>Appends <paramref name="value"/> to <paramref name="output"/>.</summary>
    public static void Serialize(TBase value, IBufferWriter<byte> output)
    {
        var scratch = ThriftScratch.Rent();
        Serialize(scratch, value, output);
        ThriftScratch.Return(scratch);
    }

    /// <summary>Reads a whole body into a new <typeparamref name="T"/>; false when the bytes are not one valid <typeparamref name="T"/>.</summary>
    public static bool TryDeserialize<T>(in ReadOnlySequence<byte> body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class, TBase, new()
    {
        var scratch = ThriftScratch.Rent();
        var result = new T();
        var ok = TryDeserialize(scratch, body, result, out var reusable);
        if (reusable)
        {
            ThriftScratch.Return(scratch);
        }

        value = ok ? result : null;
        return ok;
    }

    internal static void Serialize(ThriftScratch scratch, TBase value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        scratch.WriteTransport.Reset(output);
        // Completes synchronously: the transport appends to memory. An exception here is a bug
        // (e.g. a null element in a list) and propagates; the scratch is then simply not returned.
        RunSynchronously(value.WriteAsync(scratch.Writer, CancellationToken.None));
        scratch.WriteTransport.Reset(null);
    }

    /// <param name="reusable">False when Thrift failed midway and the scratch must be dropped.</param>
    internal static bool TryDeserialize(ThriftScratch scratch, in ReadOnlySequence<byte> body, TBase target, out bool reusable)
    {
        reusable = true;
        try
        {
            scratch.ReadTransport.Reset(body);
            RunSynchronously(target.ReadAsync(scratch.Reader, CancellationToken.None));
        }
        catch (Exception ex) when (IsMalformedInput(ex))
        {
            // This is the one place where Thrift's exceptions for bad bytes become a result.
            reusable = false;
            return false;
        }

        // A struct ends with its stop field: bytes after it mean a framing bug or garbage.
        return scratch.ReadTransport.Remaining == 0;
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
