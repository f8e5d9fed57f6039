using Chat.ChatService.Chat;
using Chat.Protocol.Packets;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// The chat pipeline, identical for a direct TCP connection and a mux stream:
/// <c>frame decoder -> packet encoder -> chat handler</c>. Sharable: one instance serves every
/// connection (the handlers it adds are per connection).
/// </summary>
internal sealed class ChatChannelInitializer(ChatServices services, CoupleRegistry registry, PacketCodec codec) : ChannelInitializer<IChannel>
{
    protected override void InitChannel(IChannel channel)
    {
        channel.Pipeline
            .AddLast("chat-decoder", new ClientFrameDecoder(codec))
            .AddLast("chat-encoder", new ClientPacketEncoder(codec))
            .AddLast("chat", new ChatConnectionHandler(services, registry));
    }
}
