using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace Chat.Protocol.Framing;

/// <summary>
/// Reads and writes client frames: <c>u32 length (big-endian, of what follows) | u8 flags | body</c>;
/// with flag <see cref="FrameFlags.Lz4"/> the body is <c>u32 decompressed length | LZ4 block</c>
/// (docs/protocol.md has the byte diagrams). Stateless and thread-safe; never throws on input bytes:
/// every failure is a <see cref="FrameStatus"/>.
/// </summary>
/// <remarks>
/// Gateways relay frames without decoding them: they call <see cref="TryReadLengthPrefix(ReadOnlySpan{byte}, out uint)"/>
/// or <see cref="TrySliceFrame"/> only. Shards and clients decode with <see cref="TryDecode"/>.
/// </remarks>
public sealed class FrameCodec
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int LengthPrefixSize = 4;

    /// <summary>Bytes of the length prefix plus the flags byte.</summary>
    public const int HeaderSize = LengthPrefixSize + 1;

    /// <summary>Bytes of the decompressed-length field that starts a compressed body.</summary>
    public const int DecompressedLengthSize = 4;

    /// <summary>Smallest accepted <see cref="FrameOptions.MaxFrameLength"/>: room for flags, a compressed header and a little data.</summary>
    public const int MinFrameLengthLimit = 16;

    /// <summary>Largest accepted limit (16 MiB): larger frames belong in another transport, not in one buffer.</summary>
    public const int MaxFrameLengthLimit = 16 * 1024 * 1024;

    private const byte ReservedFlagsMask = unchecked((byte)~(byte)FrameFlags.Lz4);

    private readonly int _maxFrameLength;
    private readonly int _maxDecompressedLength;
    private readonly int _compressionThreshold;

    /// <summary>Creates a codec with the given limits (copied: later changes to the options object do not apply).</summary>
    /// <exception cref="ArgumentException">The options are invalid (<see cref="FrameOptions.Validate"/>).</exception>
    public FrameCodec(FrameOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        Options = options;
        _maxFrameLength = options.MaxFrameLength;
        _maxDecompressedLength = options.MaxDecompressedLength;
        _compressionThreshold = options.CompressionThreshold;
    }

    /// <summary>A codec with <see cref="FrameOptions.Default"/>.</summary>
    public static FrameCodec Default { get; } = new(FrameOptions.Default);

    /// <summary>The limits this codec enforces.</summary>
    public FrameOptions Options { get; }

    /// <summary>Reads the length prefix (what follows it: flags + body) if at least 4 bytes are there.</summary>
    public static bool TryReadLengthPrefix(ReadOnlySpan<byte> source, out uint length)
    {
        return BinaryPrimitives.TryReadUInt32BigEndian(source, out length);
    }

    /// <summary>Reads the length prefix (what follows it: flags + body) if at least 4 bytes are there.</summary>
    public static bool TryReadLengthPrefix(in ReadOnlySequence<byte> source, out uint length)
    {
        if (source.FirstSpan.Length >= LengthPrefixSize)
        {
            length = BinaryPrimitives.ReadUInt32BigEndian(source.FirstSpan);
            return true;
        }

        if (source.Length < LengthPrefixSize)
        {
            length = 0;
            return false;
        }

        Span<byte> prefix = stackalloc byte[LengthPrefixSize];
        source.Slice(0, LengthPrefixSize).CopyTo(prefix);
        length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        return true;
    }

    /// <summary>
    /// Cuts the first whole frame, length prefix included, off <paramref name="buffer"/> without
    /// looking at its flags or body (the gateway's relay path). On anything but <see cref="FrameStatus.Ok"/>
    /// the buffer is left as it was. Returns <see cref="FrameStatus.Ok"/>, <see cref="FrameStatus.NeedMoreData"/>,
    /// <see cref="FrameStatus.EmptyFrame"/> or <see cref="FrameStatus.TooLarge"/>.
    /// </summary>
    public FrameStatus TrySliceFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        var status = CheckLength(buffer, out var length);
        if (status != FrameStatus.Ok)
        {
            return status;
        }

        frame = buffer.Slice(0, LengthPrefixSize + length);
        buffer = buffer.Slice(frame.End);
        return FrameStatus.Ok;
    }

    /// <summary>
    /// Decodes the first frame of <paramref name="buffer"/>: writes its body (decompressed when it is
    /// LZ4) to <paramref name="body"/> and moves <paramref name="buffer"/> past the frame. On anything
    /// but <see cref="FrameStatus.Ok"/> the buffer is left as it was and nothing is committed to
    /// <paramref name="body"/>; at most <see cref="FrameOptions.MaxDecompressedLength"/> bytes are
    /// requested from it, and only after the declared length has been checked.
    /// </summary>
    public FrameStatus TryDecode(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var status = CheckLength(buffer, out var length);
        if (status != FrameStatus.Ok)
        {
            return status;
        }

        var payload = buffer.Slice(LengthPrefixSize, length);
        var flags = payload.FirstSpan[0];
        if ((flags & ReservedFlagsMask) != 0)
        {
            return FrameStatus.ReservedFlags;
        }

        var content = payload.Slice(1);
        status = (flags & (byte)FrameFlags.Lz4) != 0
            ? Decompress(content, body)
            : CopyBody(content, body);
        if (status == FrameStatus.Ok)
        {
            buffer = buffer.Slice(payload.End);
        }

        return status;
    }

    /// <summary>
    /// Writes one frame holding <paramref name="body"/>, LZ4-compressed when the body is at least
    /// <see cref="FrameOptions.CompressionThreshold"/> bytes (or too large for a frame otherwise) and
    /// compression makes the frame smaller. Returns <see cref="FrameStatus.Ok"/>, or
    /// <see cref="FrameStatus.TooLarge"/> (nothing written) when the body exceeds
    /// <see cref="FrameOptions.MaxDecompressedLength"/> or cannot fit in <see cref="FrameOptions.MaxFrameLength"/>.
    /// </summary>
    public FrameStatus Encode(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (body.Length > _maxDecompressedLength)
        {
            return FrameStatus.TooLarge;
        }

        var fitsRaw = 1 + body.Length <= _maxFrameLength;
        if (body.Length >= _compressionThreshold || !fitsRaw)
        {
            // Compressed is only worth sending if flags + length + block is shorter than flags + body,
            // so give LZ4 no more room than that: it reports failure instead of writing a useless block.
            var room = Math.Min(body.Length - DecompressedLengthSize - 1, _maxFrameLength - 1 - DecompressedLengthSize);
            if (room > 0)
            {
                var span = output.GetSpan(HeaderSize + DecompressedLengthSize + room);
                var compressed = LZ4Codec.Encode(body, span.Slice(HeaderSize + DecompressedLengthSize, room));
                if (compressed > 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(1 + DecompressedLengthSize + compressed));
                    span[LengthPrefixSize] = (byte)FrameFlags.Lz4;
                    BinaryPrimitives.WriteUInt32BigEndian(span[HeaderSize..], (uint)body.Length);
                    output.Advance(HeaderSize + DecompressedLengthSize + compressed);
                    return FrameStatus.Ok;
                }
            }
        }

        if (!fitsRaw)
        {
            return FrameStatus.TooLarge;
        }

        var raw = output.GetSpan(HeaderSize + body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(raw, (uint)(1 + body.Length));
        raw[LengthPrefixSize] = (byte)FrameFlags.None;
        body.CopyTo(raw[HeaderSize..]);
        output.Advance(HeaderSize + body.Length);
        return FrameStatus.Ok;
    }

    private FrameStatus CheckLength(in ReadOnlySequence<byte> buffer, out int length)
    {
        length = 0;
        if (!TryReadLengthPrefix(buffer, out var declared))
        {
            return FrameStatus.NeedMoreData;
        }

        if (declared == 0)
        {
            return FrameStatus.EmptyFrame;
        }

        // Compare as unsigned: a prefix up to 2^32-1 must never turn into a negative int.
        if (declared > (uint)_maxFrameLength)
        {
            return FrameStatus.TooLarge;
        }

        length = (int)declared;
        return buffer.Length - LengthPrefixSize < length ? FrameStatus.NeedMoreData : FrameStatus.Ok;
    }

    private FrameStatus CopyBody(in ReadOnlySequence<byte> content, IBufferWriter<byte> body)
    {
        // Only reachable when MaxFrameLength is configured above MaxDecompressedLength.
        if (content.Length > _maxDecompressedLength)
        {
            return FrameStatus.DecompressedTooLarge;
        }

        foreach (var segment in content)
        {
            body.Write(segment.Span);
        }

        return FrameStatus.Ok;
    }

    private FrameStatus Decompress(in ReadOnlySequence<byte> content, IBufferWriter<byte> body)
    {
        if (!TryReadLengthPrefix(content, out var declared))
        {
            return FrameStatus.BadCompression;
        }

        // Checked before anything is allocated: this is what defuses LZ4 bombs.
        if (declared > (uint)_maxDecompressedLength)
        {
            return FrameStatus.DecompressedTooLarge;
        }

        var block = content.Slice(DecompressedLengthSize);
        if (declared == 0 || block.IsEmpty)
        {
            return FrameStatus.BadCompression;
        }

        var expected = (int)declared;
        var target = body.GetSpan(expected)[..expected];
        int decoded;
        if (block.IsSingleSegment)
        {
            decoded = LZ4Codec.Decode(block.FirstSpan, target);
        }
        else
        {
            // LZ4 needs its input contiguous; block.Length <= MaxFrameLength, so this is bounded.
            var length = (int)block.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                block.CopyTo(rented);
                decoded = LZ4Codec.Decode(rented.AsSpan(0, length), target);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // The safe decoder never writes past target; it returns a negative value when the block is
        // corrupt or would expand beyond it, and fewer bytes when the block is short.
        if (decoded != expected)
        {
            return FrameStatus.BadCompression;
        }

        body.Advance(expected);
        return FrameStatus.Ok;
    }
}
