using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DotNetty.Common;
using DotNetty.Common.Internal.Logging;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Gateway.Tls;

/// <summary>
/// Buffer leaks (DotNetty's detector at Paranoid) and unobserved task exceptions, collected for the
/// whole test assembly from its start: the detector's logger is bound when DotNetty first loads, so
/// this has to run before any test touches a buffer.
/// </summary>
public static class TestHygiene
{
    private static readonly ConcurrentQueue<string> Problems = new();

#pragma warning disable CA2255 // A module initializer is the one place early enough to hook DotNetty's static leak logger.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        InternalLoggerFactory.DefaultFactory = new LeakLoggerFactory();
        ResourceLeakDetector.Level = ResourceLeakDetector.DetectionLevel.Paranoid;
        TaskScheduler.UnobservedTaskException += (_, e) => Problems.Enqueue("unobserved task exception: " + e.Exception);
    }

    /// <summary>Collects garbage so leaked buffers and unobserved faults surface, then fails if any did.</summary>
    public static void AssertClean()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var found = new List<string>();
        while (Problems.TryDequeue(out string? problem))
        {
            found.Add(problem);
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private sealed class LeakLoggerFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new LeakLogger();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class LeakLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            if (logLevel >= LogLevel.Error && message.Contains("LEAK", StringComparison.Ordinal))
            {
                Problems.Enqueue(message);
            }
        }
    }
}
