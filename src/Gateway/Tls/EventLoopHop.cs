using System.Runtime.CompilerServices;
using DotNetty.Common.Concurrency;

namespace Chat.Gateway.Tls;

/// <summary>
/// <c>await new EventLoopHop(executor)</c> continues on the channel's event loop: at once when
/// already there (the normal case: SslStream's continuations run inline when the handler feeds
/// it), else by queueing to the loop. A guard, for the rare continuation that .NET moves to the
/// thread pool (e.g. when the stack gets too deep for inlining).
/// </summary>
internal readonly struct EventLoopHop(IEventExecutor executor, bool always = false) : ICriticalNotifyCompletion
{
    /// <summary>
    /// With <c>always</c>, the continuation is queued to the loop even from the loop thread: it then
    /// runs as a loop task, with DotNetty's task scheduler current again.
    /// </summary>
    public bool IsCompleted => !always && executor.InEventLoop;

    public EventLoopHop GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => executor.Execute(continuation);

    public void UnsafeOnCompleted(Action continuation) => executor.Execute(continuation);
}
