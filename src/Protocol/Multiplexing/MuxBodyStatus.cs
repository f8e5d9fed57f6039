namespace Chat.Protocol.Multiplexing;

/// <summary>Outcome of decoding a control-frame body. Anything but <see cref="Ok"/> is a protocol error.</summary>
public enum MuxBodyStatus
{
    /// <summary>Parsed, and every field is present and in range.</summary>
    Ok,

    /// <summary>Not a compact-protocol struct (truncated, bad field types, limits exceeded).</summary>
    Malformed,

    /// <summary>Parsed, but a required field is missing or out of range (see <see cref="MuxBodyRules"/>).</summary>
    Invalid,
}
