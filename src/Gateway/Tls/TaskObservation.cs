namespace Chat.Gateway.Tls;

/// <summary>
/// Marks faults of tasks nobody awaits as observed. DotNetty fails the write and close tasks of a
/// closed channel; left alone, each such task raises TaskScheduler.UnobservedTaskException when
/// collected.
/// </summary>
internal static class TaskObservation
{
    private static readonly Action<Task> ObserveFault = static t => _ = t.Exception;

    public static void Observe(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        task.ContinueWith(ObserveFault, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes <paramref name="target"/> as <paramref name="source"/> completes.</summary>
    public static void Forward(Task source, TaskCompletionSource target)
    {
        if (source.IsCompleted)
        {
            Complete(source, target);
            return;
        }

        source.ContinueWith(
            static (t, s) => Complete(t, (TaskCompletionSource)s!),
            target,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void Complete(Task source, TaskCompletionSource target)
    {
        if (source.IsFaulted)
        {
            target.TrySetException(source.Exception!.InnerExceptions);
        }
        else if (source.IsCanceled)
        {
            target.TrySetCanceled();
        }
        else
        {
            target.TrySetResult();
        }
    }
}
