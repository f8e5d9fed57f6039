namespace Chat.Protocol.Multiplexing;

/// <summary>
/// The 10-byte header in front of every mux frame:
/// <c>u32 length (BE, payload only) | u8 type | u8 flags | u32 streamId (BE)</c>.
/// </summary>
/// <param name="Length">Payload bytes that follow the header.</param>
/// <param name="Type">Frame type.</param>
/// <param name="Flags">Frame flags (only Open defines one).</param>
/// <param name="StreamId">0 for connection-level frames, otherwise the stream.</param>
public readonly record struct MuxFrameHeader(uint Length, MuxFrameType Type, MuxFrameFlags Flags, uint StreamId)
{
    /// <summary>Encoded size of a header in bytes.</summary>
    public const int Size = 10;
}
