using DotNetty.Transport.Channels;

namespace Chat.Gateway.Lifecycle;

/// <summary>Tells one client to reconnect elsewhere (see <see cref="FrameGoAwaySender"/> for the default).</summary>
public interface IGoAwaySender
{
    /// <summary>
    /// Sends GoAway{reconnectWithinMs, reason} on <paramref name="channel"/> without waiting for the
    /// write. Must not throw; a closed channel is simply skipped.
    /// </summary>
    void SendGoAway(IChannel channel, int reconnectWithinMs, string reason);
}
