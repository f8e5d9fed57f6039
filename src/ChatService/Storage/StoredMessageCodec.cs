using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Chat.ChatService.Storage;

/// <summary>
/// The store's own binary record for one message (the seq is not in it: it is the stream entry id).
/// Versioned so a later release can add fields; readers must learn a version before writers use it.
/// </summary>
/// <remarks>
/// <code>
/// version 1, all integers big-endian
/// offset  size  field
/// 0       1     version = 1
/// 1       1     flags: bit 0 = sender device id present; other bits must be 0
/// 2       8     serverTimeMs (i64)
/// 10      4     kind (i32)
/// 14      1+n   clientMsgId: u8 length, UTF-8
///         1+n   senderUserId: u8 length, UTF-8
///         1+n   senderDeviceId: u8 length, UTF-8 (only when flag bit 0)
///         4+n   body: u32 length, bytes; the record ends exactly here
/// </code>
/// </remarks>
internal static class StoredMessageCodec
{
    public const byte Version1 = 1;

    /// <summary>Longest text field in UTF-8 bytes (its length is one byte).</summary>
    public const int MaxTextBytes = byte.MaxValue;

    private const byte HasDeviceFlag = 1;
    private const int FixedHeaderLength = 14;

    /// <summary>
    /// Encodes a record. False when a text field is longer than <see cref="MaxTextBytes"/> in UTF-8 or is
    /// not valid UTF-16 (a lone surrogate would not survive the round trip).
    /// </summary>
    public static bool TryEncode(
        string clientMsgId,
        string senderUserId,
        string? senderDeviceId,
        int kind,
        ReadOnlySpan<byte> body,
        long serverTimeMs,
        out byte[] record)
    {
        record = [];
        if (!TryTextLength(clientMsgId, out var clientMsgIdBytes)
            || !TryTextLength(senderUserId, out var senderBytes)
            || (senderDeviceId is not null && !TryTextLength(senderDeviceId, out _)))
        {
            return false;
        }

        var deviceBytes = senderDeviceId is null ? 0 : 1 + Encoding.UTF8.GetByteCount(senderDeviceId);
        var length = FixedHeaderLength + 1 + clientMsgIdBytes + 1 + senderBytes + deviceBytes + 4 + body.Length;
        var buffer = new byte[length];
        var span = buffer.AsSpan();
        span[0] = Version1;
        span[1] = senderDeviceId is null ? (byte)0 : HasDeviceFlag;
        BinaryPrimitives.WriteInt64BigEndian(span[2..], serverTimeMs);
        BinaryPrimitives.WriteInt32BigEndian(span[10..], kind);
        var offset = FixedHeaderLength;
        offset += WriteText(span[offset..], clientMsgId);
        offset += WriteText(span[offset..], senderUserId);
        if (senderDeviceId is not null)
        {
            offset += WriteText(span[offset..], senderDeviceId);
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)body.Length);
        body.CopyTo(span[(offset + 4)..]);
        record = buffer;
        return true;
    }

    /// <summary>
    /// Decodes a record stored under <paramref name="seq"/>. The body of the result is a slice of
    /// <paramref name="record"/>, not a copy. Any malformed input gives an error, never an exception.
    /// </summary>
    public static RecordError TryDecode(long seq, ReadOnlyMemory<byte> record, out StoredMessage? message)
    {
        message = null;
        var span = record.Span;
        if (span.IsEmpty)
        {
            return RecordError.Empty;
        }

        if (span[0] != Version1)
        {
            return RecordError.UnknownVersion;
        }

        if (span.Length < FixedHeaderLength)
        {
            return RecordError.Truncated;
        }

        var flags = span[1];
        if ((flags & ~HasDeviceFlag) != 0)
        {
            return RecordError.UnknownFlags;
        }

        var serverTimeMs = BinaryPrimitives.ReadInt64BigEndian(span[2..]);
        var kind = BinaryPrimitives.ReadInt32BigEndian(span[10..]);
        var offset = FixedHeaderLength;
        var error = ReadText(span, ref offset, out var clientMsgId);
        if (error == RecordError.None)
        {
            error = ReadText(span, ref offset, out var senderUserId);
            string? senderDeviceId = null;
            if (error == RecordError.None && (flags & HasDeviceFlag) != 0)
            {
                error = ReadText(span, ref offset, out senderDeviceId);
            }

            if (error == RecordError.None)
            {
                error = ReadBody(span, ref offset, out var bodyOffset, out var bodyLength);
                if (error == RecordError.None)
                {
                    message = new StoredMessage(
                        seq, clientMsgId, senderUserId, senderDeviceId, kind, record.Slice(bodyOffset, bodyLength), serverTimeMs);
                }
            }
        }

        return error;
    }

    private static bool TryTextLength(string text, out int bytes)
    {
        bytes = 0;
        if (text.Length > MaxTextBytes)
        {
            return false;
        }

        // Utf8.FromUtf16 without replacement reports lone surrogates instead of writing U+FFFD.
        Span<byte> scratch = stackalloc byte[MaxTextBytes * 3];
        if (Utf8.FromUtf16(text, scratch, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done
            || written > MaxTextBytes)
        {
            return false;
        }

        bytes = written;
        return true;
    }

    private static int WriteText(Span<byte> destination, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, destination[1..]);
        destination[0] = (byte)written;
        return 1 + written;
    }

    private static RecordError ReadText(ReadOnlySpan<byte> span, ref int offset, out string text)
    {
        text = string.Empty;
        if (offset >= span.Length)
        {
            return RecordError.Truncated;
        }

        var length = span[offset];
        if (span.Length - offset - 1 < length)
        {
            return RecordError.Truncated;
        }

        var bytes = span.Slice(offset + 1, length);
        if (!Utf8.IsValid(bytes))
        {
            return RecordError.InvalidText;
        }

        text = Encoding.UTF8.GetString(bytes);
        offset += 1 + length;
        return RecordError.None;
    }

    private static RecordError ReadBody(ReadOnlySpan<byte> span, ref int offset, out int bodyOffset, out int bodyLength)
    {
        bodyOffset = 0;
        bodyLength = 0;
        if (span.Length - offset < 4)
        {
            return RecordError.Truncated;
        }

        var declared = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
        var available = span.Length - offset - 4;
        if (declared > (uint)available)
        {
            return RecordError.Truncated;
        }

        if (declared < (uint)available)
        {
            return RecordError.TrailingBytes;
        }

        bodyOffset = offset + 4;
        bodyLength = (int)declared;
        offset = span.Length;
        return RecordError.None;
    }
}
