using Chat.ChatService.Chat;
using Chat.Protocol.Packets;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// How a mux stream ends: a Reset whose reason the gateway acts on (NotOwner/Moved: re-route the
/// client; others: close it). Until the mux transport is wired, no channel is a stream and every
/// connection ends like a direct one.
/// </summary>
internal static class StreamEnds
{
    /// <summary>The gateway's route of <paramref name="channel"/> if it is a mux stream, else null.</summary>
    public static StreamRoute? RouteOf(IChannel channel) => null;

    /// <summary>Resets <paramref name="channel"/> if it is a stream; false for a direct connection.</summary>
    public static bool TryReset(IChannel channel, EndReason reason, Error? error, long epoch) => false;
}
