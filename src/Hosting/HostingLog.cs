using Microsoft.Extensions.Logging;

namespace Chat.Hosting;

/// <summary>Log messages of the shared hosting plumbing. Event ids 100-199.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Information, "Admin endpoint listening on {Url}")]
    public static partial void AdminListening(ILogger logger, string url);

    [LoggerMessage(110, LogLevel.Warning, "Drain started: {Reason}")]
    public static partial void DrainStarted(ILogger logger, string reason);

    [LoggerMessage(111, LogLevel.Information, "Drain finished after {Seconds} s")]
    public static partial void DrainFinished(ILogger logger, double seconds);

    [LoggerMessage(112, LogLevel.Warning, "Shutdown timeout reached with {Remaining} left to drain; stopping anyway")]
    public static partial void DrainCutShort(ILogger logger, long remaining);

    [LoggerMessage(113, LogLevel.Error, "Drain failed; stopping anyway")]
    public static partial void DrainFailed(ILogger logger, Exception exception);
}
