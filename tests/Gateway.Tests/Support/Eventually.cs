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
}
