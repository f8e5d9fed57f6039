using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Tls;

/// <summary>
/// The last step of a TLS close, the same for every engine: close the socket once the close_notify
/// alert was written, waiting at most <see cref="TlsOptions.CloseNotifyTimeout"/> for it (a peer that
/// stopped reading must not hold the connection).
/// </summary>
internal static class CloseAfterNotify
{
    /// <param name="notify">The close_notify write; null when none was sent.</param>
    public static Task CloseAsync(
        IChannelHandlerContext context, Task? notify, TimeSpan timeout, TimeProvider time, ILogger logger, IChannelId? connectionId)
    {
        if (notify is null || notify.IsCompleted || timeout == TimeSpan.Zero)
        {
            return context.CloseAsync();
        }

        return WaitThenCloseAsync(context, notify, timeout, time, logger, connectionId);
    }

    private static async Task WaitThenCloseAsync(
        IChannelHandlerContext context, Task notify, TimeSpan timeout, TimeProvider time, ILogger logger, IChannelId? connectionId)
    {
        try
        {
            await notify.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            TlsLog.CloseNotifyTimedOut(logger, connectionId, timeout);
        }
        catch (Exception e) when (notify.IsFaulted || notify.IsCanceled)
        {
            // The write failed because the connection is already gone: nothing left to wait for.
            _ = e;
        }

        await context.CloseAsync().ConfigureAwait(false);
    }
}
