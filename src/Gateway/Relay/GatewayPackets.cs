using System.Buffers;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Relay;

/// <summary>
/// The few client packets the gateway itself writes (it relays everything else without decoding):
/// Error before closing a connection, and GoAway when asking a client to move. Always whole frames,
/// so they may go between relayed frame batches.
/// </summary>
internal static class GatewayPackets
{
    /// <summary>How long a close waits for the last packet to reach the socket (a client that stopped reading must not hold it).</summary>
    public static readonly TimeSpan CloseFlushTimeout = TimeSpan.FromSeconds(1);

    public static IByteBuffer Error(ErrorCode code, string text, int? retryAfterMs = null)
    {
        var error = new Error { Code = code, Text = text };
        if (retryAfterMs is { } retry)
        {
            error.RetryAfterMs = retry;
        }

        return Encode(error);
    }

    /// <summary>Writes <paramref name="packet"/> (owned), then closes the channel once it is written or after <see cref="CloseFlushTimeout"/>.</summary>
    public static void WriteAndClose(IChannel channel, IByteBuffer packet)
    {
        if (!channel.Active)
        {
            packet.Release();
            _ = channel.CloseAsync();
            return;
        }

        var written = channel.WriteAndFlushAsync(packet);
        _ = written.WaitAsync(CloseFlushTimeout).ContinueWith(
            static (_, state) => ((IChannel)state!).CloseAsync(),
            channel,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static IByteBuffer Encode(ClientPacket packet)
    {
        var output = new ArrayBufferWriter<byte>(64);
        // Gateway packets are small and fixed: TooLarge here would be a bug, not input.
        var status = PacketCodec.Default.Write(packet, output);
        if (status != Chat.Protocol.Framing.FrameStatus.Ok)
        {
            throw new InvalidOperationException($"a gateway packet did not encode: {status}");
        }

        return Unpooled.WrappedBuffer(output.WrittenMemory.ToArray());
    }
}
