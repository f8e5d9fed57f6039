using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing.Session;

/// <summary>
/// Runs session work on a connection's event loop from any thread. The returned task completes on
/// the thread pool (RunContinuationsAsynchronously), so callers' continuations never run on, and
/// never stall, the event loop.
/// </summary>
internal static class EventLoopWork
{
    public static Task RunAsync(IChannel? channel, Action action)
    {
        if (channel is null || !channel.Registered)
        {
            return Task.CompletedTask;
        }

        var completion = new System.Threading.Tasks.TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            channel.EventLoop.Execute(() =>
            {
                try
                {
                    action();
                    completion.TrySetResult();
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
            });
        }
        catch (RejectedExecutionException)
        {
            // The loop is shutting down and the connection with it: nothing left to do.
            completion.TrySetResult();
        }

        return completion.Task;
    }
}
