namespace Chat.Protocol.Multiplexing;

/// <summary>The flags byte of a mux frame header. Only <see cref="MuxFrameType.Open"/> defines a flag.</summary>
[Flags]
public enum MuxFrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>On Open: the stream replaces one that lived on another shard; the client should resync.</summary>
    Migrated = 1,
}
