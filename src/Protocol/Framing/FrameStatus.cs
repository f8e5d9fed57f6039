namespace Chat.Protocol.Framing;

/// <summary>
/// Outcome of reading or writing a client frame (and, for <see cref="Packets.PacketCodec"/>, of
/// parsing its body). Everything except <see cref="Ok"/> and <see cref="NeedMoreData"/> means the
/// peer broke the protocol (or, when writing, that the packet does not fit the limits).
/// </summary>
public enum FrameStatus
{
    /// <summary>A whole frame was read (or written).</summary>
    Ok = 0,

    /// <summary>The buffer ends inside a frame: read more bytes and try again. Nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The length prefix is 0, so the mandatory flags byte is missing.</summary>
    EmptyFrame,

    /// <summary>The length prefix exceeds <see cref="FrameOptions.MaxFrameLength"/> (when writing: the packet cannot fit in a frame).</summary>
    TooLarge,

    /// <summary>The body (declared decompressed length, or uncompressed length) exceeds <see cref="FrameOptions.MaxDecompressedLength"/>.</summary>
    DecompressedTooLarge,

    /// <summary>A reserved flag bit (1-7) is set.</summary>
    ReservedFlags,

    /// <summary>The LZ4 block is corrupt, truncated, or does not decompress to exactly its declared length.</summary>
    BadCompression,

    /// <summary>The body is not a valid Thrift ClientPacket (or sets more than one member).</summary>
    BadBody,

    /// <summary>The body is valid Thrift but sets no packet this build knows (an empty union, or a packet of a newer peer).</summary>
    UnknownPacket,
}
