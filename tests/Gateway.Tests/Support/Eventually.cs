using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Gateway.Support;

/// <summary>Bounded polls for tests whose subject runs on other threads.</summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Bound);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Bound);

    /// <summary>Polls <paramref name="condition"/> every 2 ms until it holds or the bound passes.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < Bound)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(2);
        }

        return condition();
    }

    /// <summary>
    /// Moves the fake clock forward by <paramref name="step"/> at a time, letting the subject's
    /// continuations run in between, until <paramref name="condition"/> holds or
    /// <paramref name="maxSimulated"/> of fake time has passed. Returns whether it held.
    /// </summary>
    public static async Task<bool> RunClockUntilAsync(this FakeTimeProvider clock, Func<bool> condition, TimeSpan step, TimeSpan maxSimulated)
    {
        var stopwatch = Stopwatch.StartNew();
        var simulated = TimeSpan.Zero;
        while (stopwatch.Elapsed < Bound)
        {
            // Give the subject a moment to reach its next wait before the clock moves again.
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(1);
                if (condition())
                {
                    return true;
                }
            }

            if (simulated >= maxSimulated)
            {
                return false;
            }

            clock.Advance(step);
            simulated += step;
        }

        return condition();
    }

    /// <summary>The bound of the relay tests' waits.</summary>
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(15);

    /// <summary>Polls <paramref name="condition"/> every 10 ms; throws naming <paramref name="what"/> when the bound passes.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var bound = timeout ?? WaitBound;
        while (!condition())
        {
            if (stopwatch.Elapsed > bound)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? WaitBound);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? WaitBound);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? WaitBound);
}
