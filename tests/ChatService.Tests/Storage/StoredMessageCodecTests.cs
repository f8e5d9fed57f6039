using Chat.ChatService.Storage;
using FsCheck.Xunit;

namespace Chat.Tests.ChatService.Storage;

public sealed class StoredMessageCodecTests
{
    [Property(Arbitrary = [typeof(MessageFieldsArbitrary)], MaxTest = 300)]
    public void Encode_then_decode_gives_the_same_message(MessageFields fields, long seq)
    {
        var record = Encode(fields);

        Assert.Equal(RecordError.None, StoredMessageCodec.TryDecode(seq, record, out var message));
        Assert.NotNull(message);
        Assert.Equal(seq, message.Seq);
        Assert.Equal(fields.ClientMsgId, message.ClientMsgId);
        Assert.Equal(fields.SenderUserId, message.SenderUserId);
        Assert.Equal(fields.SenderDeviceId, message.SenderDeviceId);
        Assert.Equal(fields.Kind, message.Kind);
        Assert.Equal(fields.Body, message.Body.ToArray());
        Assert.Equal(fields.ServerTimeMs, message.ServerTimeMs);
    }

    [Property(Arbitrary = [typeof(MessageFieldsArbitrary)], MaxTest = 100)]
    public void Every_truncation_of_a_record_is_an_error(MessageFields fields)
    {
        var record = Encode(fields);
        for (var length = 0; length < record.Length; length++)
        {
            var error = StoredMessageCodec.TryDecode(1, record.AsMemory(0, length), out var message);
            Assert.NotEqual(RecordError.None, error);
            Assert.Null(message);
        }
    }

    [Property(Arbitrary = [typeof(MessageFieldsArbitrary)], MaxTest = 100)]
    public void A_byte_after_the_body_is_an_error(MessageFields fields, byte extra)
    {
        var record = Encode(fields);
        var longer = record.Append(extra).ToArray();

        Assert.Equal(RecordError.TrailingBytes, StoredMessageCodec.TryDecode(1, longer, out var message));
        Assert.Null(message);
    }

    [Property(MaxTest = 2000)]
    public void Garbage_gives_an_error_or_a_message_never_an_exception(byte[] garbage)
    {
        var error = StoredMessageCodec.TryDecode(7, garbage, out var message);

        Assert.Equal(error == RecordError.None, message is not null);
    }

    [Property(MaxTest = 500)]
    public void Garbage_after_a_valid_version_byte_gives_an_error_or_a_message(byte[] tail)
    {
        var garbage = new byte[] { StoredMessageCodec.Version1 }.Concat(tail).ToArray();

        var error = StoredMessageCodec.TryDecode(7, garbage, out var message);

        Assert.Equal(error == RecordError.None, message is not null);
    }

    [Fact]
    public void Empty_record_is_an_error()
    {
        Assert.Equal(RecordError.Empty, StoredMessageCodec.TryDecode(1, ReadOnlyMemory<byte>.Empty, out _));
    }

    [Fact]
    public void Unknown_version_is_an_error()
    {
        var record = Encode(Sample());
        record[0] = 2;

        Assert.Equal(RecordError.UnknownVersion, StoredMessageCodec.TryDecode(1, record, out _));
    }

    [Fact]
    public void Unknown_flag_bits_are_an_error()
    {
        var record = Encode(Sample());
        record[1] |= 0x80;

        Assert.Equal(RecordError.UnknownFlags, StoredMessageCodec.TryDecode(1, record, out _));
    }

    [Fact]
    public void Invalid_utf8_in_a_text_field_is_an_error()
    {
        var record = Encode(Sample() with { ClientMsgId = "ab" });

        // The client message id starts after the 14-byte header and its length byte.
        record[15] = 0xC3;
        record[16] = 0x28;

        Assert.Equal(RecordError.InvalidText, StoredMessageCodec.TryDecode(1, record, out _));
    }

    [Fact]
    public void Body_length_beyond_the_record_is_truncated_not_an_allocation()
    {
        var record = Encode(Sample() with { Body = [1, 2, 3] });

        // Claim a 4 GiB body: the decoder must compare with what is there, not allocate.
        record.AsSpan(record.Length - 7, 4).Fill(0xFF);

        Assert.Equal(RecordError.Truncated, StoredMessageCodec.TryDecode(1, record, out _));
    }

    [Fact]
    public void Text_longer_than_255_utf8_bytes_is_refused_by_the_encoder()
    {
        Assert.False(StoredMessageCodec.TryEncode(new string('a', 256), "u", null, 0, [], 0, out _));
        Assert.False(StoredMessageCodec.TryEncode(string.Concat(Enumerable.Repeat("中", 86)), "u", null, 0, [], 0, out _));
        Assert.True(StoredMessageCodec.TryEncode(string.Concat(Enumerable.Repeat("中", 85)), "u", null, 0, [], 0, out _));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_by_the_encoder()
    {
        Assert.False(StoredMessageCodec.TryEncode("a\uD800b", "u", null, 0, [], 0, out _));
        Assert.False(StoredMessageCodec.TryEncode("m", "u", "\uDC00", 0, [], 0, out _));
    }

    [Fact]
    public void Decoded_body_is_a_slice_of_the_record_not_a_copy()
    {
        var record = Encode(Sample() with { Body = [9, 8, 7] });

        StoredMessageCodec.TryDecode(1, record, out var message);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message!.Body, out var segment));
        Assert.Same(record, segment.Array);
    }

    private static MessageFields Sample() => new("m-1", "alice", "phone", 1, [1, 2, 3], 1_700_000_000_000);

    private static byte[] Encode(MessageFields f)
    {
        Assert.True(StoredMessageCodec.TryEncode(f.ClientMsgId, f.SenderUserId, f.SenderDeviceId, f.Kind, f.Body, f.ServerTimeMs, out var record));
        return record;
    }
}
