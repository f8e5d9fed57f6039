using System.Buffers;
using Chat.Protocol.Packets;
using Chat.Protocol.Serialization;

namespace Chat.Tests.Protocol.Serialization;

/// <summary>The struct-level helper mux control frames can share with client packets.</summary>
public class ThriftBodyTests
{
    [Fact]
    public void Any_struct_round_trips()
    {
        var output = new ArrayBufferWriter<byte>();
        var message = new Message { Seq = 7, SenderId = "a", Kind = MessageKind.Sticker, Body = [1, 2, 3], ServerTime = 9, ClientMsgId = "m" };

        ThriftBody.Serialize(message, output);

        Assert.True(ThriftBody.TryDeserialize<Message>(new ReadOnlySequence<byte>(output.WrittenMemory), out var read));
        Assert.Equal(message, read);
    }

    [Fact]
    public void Trailing_bytes_and_garbage_are_refused()
    {
        Assert.True(ThriftBody.TryDeserialize<Ping>(new ReadOnlySequence<byte>([0x16, 0x02, 0x00]), out var ping));
        Assert.Equal(1, ping.Nonce);
        Assert.False(ThriftBody.TryDeserialize<Ping>(new ReadOnlySequence<byte>([0x16, 0x02, 0x00, 0x00]), out var trailing));
        Assert.Null(trailing);
        Assert.False(ThriftBody.TryDeserialize<Ping>(new ReadOnlySequence<byte>([0x16]), out _));
        Assert.False(ThriftBody.TryDeserialize<Ping>(new ReadOnlySequence<byte>([0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), out _));
    }
}
