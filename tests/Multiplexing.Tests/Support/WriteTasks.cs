namespace Chat.Tests.Multiplexing.Support;

/// <summary>Test handlers fire writes and forget them; a write fails when its stream was reset, which tests expect.</summary>
public static class WriteTasks
{
    public static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
