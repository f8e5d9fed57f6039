using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Gateway.Tls;

/// <summary>Logger factory that keeps every entry, so tests can check event ids and that no error was logged.</summary>
public sealed class TestLog : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public int Count(int eventId) => Entries.Count(e => e.EventId == eventId);

    public void AssertNoErrors()
    {
        var errors = Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.EventId}: {e.Message}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private sealed class Logger(TestLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
