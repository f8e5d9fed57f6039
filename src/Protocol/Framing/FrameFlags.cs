namespace Chat.Protocol.Framing;

/// <summary>The flags byte that follows the length prefix. Bits other than <see cref="Lz4"/> are reserved and must be 0.</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>The body is sent as is.</summary>
    None = 0,

    /// <summary>The body is a u32 big-endian decompressed length followed by one LZ4 block.</summary>
    Lz4 = 1,
}
