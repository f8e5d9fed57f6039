using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Writes log lines to the test's output, so a failing run shows what the client saw.</summary>
internal sealed class TestLogger<T>(ITestOutputHelper output, string name) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {name}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; xunit refuses output after that. Late lines are of no use.
        }
    }
}
