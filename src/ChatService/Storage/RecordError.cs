namespace Chat.ChatService.Storage;

/// <summary>Why <see cref="StoredMessageCodec.TryDecode"/> rejected a stored record.</summary>
internal enum RecordError
{
    None,

    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>A version this code cannot read (written by a newer release, or garbage).</summary>
    UnknownVersion,

    /// <summary>Flag bits this version does not define are set.</summary>
    UnknownFlags,

    /// <summary>The record ends inside a field.</summary>
    Truncated,

    /// <summary>A text field is not valid UTF-8.</summary>
    InvalidText,

    /// <summary>Bytes follow the body.</summary>
    TrailingBytes,
}
