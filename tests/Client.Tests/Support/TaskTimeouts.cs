namespace Chat.Tests.Client.Support;

/// <summary>Every await in a test is bounded: a hung client fails the test instead of the run.</summary>
internal static class TaskTimeouts
{
    /// <summary>Generous: the machine is shared, and nothing here should take more than a fraction of it.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    /// <summary>
    /// Advances a fake clock by <paramref name="step"/> at a time until <paramref name="condition"/>
    /// holds (for a timer the client arms at a moment the test cannot observe, e.g. a backoff delay),
    /// for at most <see cref="Default"/> of real time.
    /// </summary>
    public static async Task AdvanceUntilAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Default;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out advancing the clock until {what}");
            }

            time.Advance(step);
            await Task.Delay(10);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true, for at most <see cref="Default"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Default;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(10);
        }
    }
}
