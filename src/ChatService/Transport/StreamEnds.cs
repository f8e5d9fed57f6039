using Chat.ChatService.Chat;
using Chat.Multiplexing;
using Chat.Protocol.Multiplexing;
using Chat.Protocol.Packets;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// What the chat code needs to know of a mux stream: how the gateway routed it (from its Open), and
/// how it ends: a Reset whose reason the gateway acts on. NotOwner and Moved carry the shard's
/// epoch and no Error packet (the gateway re-routes the client, which never hears of it); the other
/// reasons end the client too, so the Error goes out on the stream first, then the Reset.
/// </summary>
internal static class StreamEnds
{
    /// <summary>The gateway's route of <paramref name="channel"/> if it is a mux stream, else null.</summary>
    public static StreamRoute? RouteOf(IChannel channel) =>
        channel is MuxStreamChannel stream
            ? new StreamRoute(stream.OpenRequest.CoupleId, stream.OpenRequest.RingEpoch, stream.OpenRequest.Migrated)
            : null;

    /// <summary>The Reset reason for an end of a stream.</summary>
    public static ResetReason ReasonOf(EndReason reason) => reason switch
    {
        EndReason.NotOwner => ResetReason.NotOwner,
        EndReason.Moved => ResetReason.Moved,
        EndReason.SlowConsumer => ResetReason.SlowConsumer,
        EndReason.Unavailable => ResetReason.ShardUnavailable,
        EndReason.ShuttingDown => ResetReason.Refused,
        _ => ResetReason.ProtocolError,
    };

    /// <summary>
    /// Resets <paramref name="channel"/> if it is a stream (from any thread; <paramref name="beforeReset"/>
    /// runs first on the stream's loop, to flush what is queued); false for a direct connection.
    /// </summary>
    public static bool TryReset(IChannel channel, EndReason reason, Error? error, long epoch, Action beforeReset)
    {
        if (channel is not MuxStreamChannel stream)
        {
            return false;
        }

        var resetReason = ReasonOf(reason);
        var carriesEpoch = resetReason is ResetReason.NotOwner or ResetReason.Moved;
        var text = error?.Text ?? reason.ToString();
        try
        {
            stream.EventLoop.Execute(() =>
            {
                beforeReset();
                if (!carriesEpoch && error is not null && stream.Active)
                {
                    // Within the stream's credit this goes out as Data before the Reset below; the
                    // Error tells the client why (the gateway closes it after the Reset).
                    _ = stream.WriteAndFlushAsync(new ClientPacket { Error = error }).ContinueWith(
                        static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }

                _ = stream.ResetAsync(resetReason, carriesEpoch ? epoch : 0, text);
            });
        }
        catch (DotNetty.Common.Concurrency.RejectedExecutionException)
        {
            // The loop shuts down with the process; the mux connection and its streams go with it.
        }

        return true;
    }
}
