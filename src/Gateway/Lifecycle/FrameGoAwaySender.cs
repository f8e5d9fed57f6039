using System.Buffers;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Lifecycle;

/// <summary>
/// Writes a GoAway client frame at the tail of the channel's pipeline, so it goes out through the
/// TLS handler like any frame relayed from a shard. Frames are written whole, so a GoAway never
/// lands inside another frame. The encoded frame is cached per (reconnectWithinMs, reason): a drain
/// sends the same one to every client.
/// </summary>
public sealed class FrameGoAwaySender(PacketCodec? codec = null) : IGoAwaySender
{
    private readonly PacketCodec _codec = codec ?? PacketCodec.Default;
    private CachedFrame? _cached;

    public void SendGoAway(IChannel channel, int reconnectWithinMs, string reason)
    {
        if (!channel.Active)
        {
            return;
        }

        var frame = Frame(reconnectWithinMs, reason);
        var written = channel.WriteAndFlushAsync(Unpooled.WrappedBuffer(frame));

        // The client may be gone by now; that is fine, but the failed task must be observed.
        written.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The encoded frame (exposed for tests).</summary>
    internal byte[] Frame(int reconnectWithinMs, string reason)
    {
        if (Volatile.Read(ref _cached) is { } cached && cached.Within == reconnectWithinMs && cached.Reason == reason)
        {
            return cached.Frame;
        }

        var output = new ArrayBufferWriter<byte>(64);
        var status = _codec.Write(new GoAway { ReconnectWithinMs = reconnectWithinMs, Reason = reason }, output);
        if (status != FrameStatus.Ok)
        {
            throw new ArgumentException($"GoAway does not fit a frame: {status}", nameof(reason));
        }

        var frame = output.WrittenSpan.ToArray();
        Volatile.Write(ref _cached, new CachedFrame(reconnectWithinMs, reason, frame));
        return frame;
    }

    private sealed record CachedFrame(int Within, string Reason, byte[] Frame);
}
