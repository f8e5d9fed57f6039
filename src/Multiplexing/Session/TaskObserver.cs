namespace Chat.Multiplexing.Session;

/// <summary>
/// Marks the failure of a fire-and-forget DotNetty write as observed. A write fails only when its
/// connection is closing, which the session learns through ChannelInactive anyway; without this the
/// failed tasks surface as UnobservedTaskException at finalization.
/// </summary>
internal static class TaskObserver
{
    private static readonly Action<Task> Observe = static t => _ = t.Exception;

    public static void ObserveFailure(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        task.ContinueWith(Observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
