using System.Runtime.CompilerServices;
using DotNetty.Common;
using DotNetty.Common.Internal.Logging;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Multiplexing.Support;

/// <summary>
/// Every test in this assembly runs with DotNetty's paranoid leak detector; its reports (logged as
/// "LEAK: ...") are counted here so a test can assert that none occurred.
/// </summary>
public static class LeakDetection
{
    private static int s_leaks;
    private static int s_unobserved;

    public static int Leaks => Volatile.Read(ref s_leaks);

    /// <summary>Faulted tasks nobody observed (reported by the finalizer after a GC).</summary>
    public static int UnobservedTaskExceptions => Volatile.Read(ref s_unobserved);

    public static IReadOnlyCollection<string> UnobservedMessages => [.. s_unobservedMessages];

    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> s_unobservedMessages = new();

    [ModuleInitializer]
    internal static void Enable()
    {
        // The factory first: DotNetty's classes take their loggers in their static constructors.
        InternalLoggerFactory.DefaultFactory = new CountingLoggerFactory();
        ResourceLeakDetector.Level = ResourceLeakDetector.DetectionLevel.Paranoid;
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Interlocked.Increment(ref s_unobserved);
            s_unobservedMessages.Enqueue(e.Exception.ToString());
            e.SetObserved();
        };
    }

    /// <summary>Collects garbage so that leaked buffers are finalized and reported.</summary>
    public static void CollectAndReport()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    private sealed class CountingLoggerFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new CountingLogger();

        public void AddProvider(ILoggerProvider provider)
        {
            // Leak reports are only counted, never forwarded.
        }

        public void Dispose()
        {
        }
    }

    private sealed class CountingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("LEAK", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref s_leaks);
            }
        }
    }
}
