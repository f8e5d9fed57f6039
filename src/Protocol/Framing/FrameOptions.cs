namespace Chat.Protocol.Framing;

/// <summary>
/// Limits and compression policy of the client frame codec. Both ends of a connection must agree on
/// the limits (docs/protocol.md): a peer that sends a frame above them gets Error{FrameTooLarge} and a
/// closed connection.
/// </summary>
public sealed class FrameOptions
{
    /// <summary>The limits of the published protocol: 64 KiB frames, 256 KiB decompressed, LZ4 from 512 bytes.</summary>
    public static FrameOptions Default { get; } = new();

    /// <summary>
    /// Largest value of the length prefix, i.e. flags byte + body as sent. Default 65536 (64 KiB).
    /// Risk of raising it: every connection may make the receiver buffer this much before it can
    /// decode anything, so memory per slow connection grows with it.
    /// </summary>
    public int MaxFrameLength { get; init; } = 65536;

    /// <summary>
    /// Largest body after LZ4 decompression (and largest uncompressed body). Default 262144 (256 KiB).
    /// Checked against the declared length before anything is allocated. Risk of raising it: a small
    /// compressed frame can make the receiver allocate this much (LZ4 expands up to ~255x).
    /// </summary>
    public int MaxDecompressedLength { get; init; } = 262144;

    /// <summary>
    /// Bodies of at least this many bytes are LZ4-compressed when that makes them smaller. Default 512.
    /// Lower values spend CPU on packets that rarely shrink; <see cref="int.MaxValue"/> turns
    /// compression off (bodies larger than a frame are still compressed if that makes them fit).
    /// </summary>
    public int CompressionThreshold { get; init; } = 512;

    /// <summary>Returns why these options cannot work, or null when they are valid.</summary>
    public string? Validate()
    {
        if (MaxFrameLength < FrameCodec.MinFrameLengthLimit)
        {
            return $"MaxFrameLength must be at least {FrameCodec.MinFrameLengthLimit} (is {MaxFrameLength})";
        }

        if (MaxFrameLength > FrameCodec.MaxFrameLengthLimit)
        {
            return $"MaxFrameLength must be at most {FrameCodec.MaxFrameLengthLimit} (is {MaxFrameLength})";
        }

        if (MaxDecompressedLength < 1 || MaxDecompressedLength > FrameCodec.MaxFrameLengthLimit)
        {
            return $"MaxDecompressedLength must be between 1 and {FrameCodec.MaxFrameLengthLimit} (is {MaxDecompressedLength})";
        }

        if (CompressionThreshold < 1)
        {
            return $"CompressionThreshold must be at least 1 (is {CompressionThreshold})";
        }

        return null;
    }
}
