using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Tests.Gateway.Support;

/// <summary>Relay logs for test debugging: to stderr when CHAT_TEST_GATEWAY_LOG=1, else nowhere.</summary>
internal static class TestLog
{
    public static ILogger Create() =>
        Environment.GetEnvironmentVariable("CHAT_TEST_GATEWAY_LOG") == "1" ? new StderrLogger() : NullLogger.Instance;

    public static ILoggerFactory? Factory() =>
        Environment.GetEnvironmentVariable("CHAT_TEST_GATEWAY_LOG") == "1" ? new StderrFactory() : null;

    private sealed class StderrFactory : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
            // Not used: everything goes to stderr.
        }

        public ILogger CreateLogger(string categoryName) => new StderrLogger();

        public void Dispose()
        {
            // Nothing held.
        }
    }

    private sealed class StderrLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {eventId.Id} {formatter(state, exception)}");
    }
}
