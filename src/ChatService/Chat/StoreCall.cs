using System.Runtime.CompilerServices;
using DotNetty.Common.Concurrency;

namespace Chat.ChatService.Chat;

/// <summary>
/// Starts a store call from a couple's loop and brings its result back to that loop. The store's
/// continuations run on the thread pool (never on Redis's reader); chat state is only ever touched
/// on the couple's loop, so the completion hops there before <c>complete</c> runs.
/// </summary>
internal static class StoreCall
{
    /// <param name="failed">The result to use if the call throws (a bug: the store reports expected failures as statuses).</param>
    public static void Run<TResult, TState>(
        CoupleSession session, ValueTask<TResult> pending, TResult failed, TState state, Action<CoupleSession, TResult, TState> complete)
    {
        if (pending.IsCompletedSuccessfully && session.Loop.InEventLoop)
        {
            complete(session, pending.Result, state);
            return;
        }

        new Completion<TResult, TState>(session, pending, failed, state, complete).Start();
    }

    private sealed class Completion<TResult, TState>(
        CoupleSession session, ValueTask<TResult> pending, TResult failed, TState state, Action<CoupleSession, TResult, TState> complete) : IRunnable
    {
        private TResult? _result;
        private ValueTask<TResult> _pending = pending;

        public void Start()
        {
            ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter = _pending.ConfigureAwait(false).GetAwaiter();
            if (awaiter.IsCompleted)
            {
                OnCompleted();
            }
            else
            {
                awaiter.UnsafeOnCompleted(OnCompleted);
            }
        }

        public void Run() => complete(session, _result!, state);

        private void OnCompleted()
        {
            try
            {
                _result = _pending.Result;
            }
            catch (Exception ex)
            {
                // A bug (the store reports expected failures as statuses). Log it and answer with the
                // failure result: the couple's bookkeeping must still see the call end.
                Diagnostics.ShardLog.StoreCallThrew(session.Logger, session.CoupleId, ex);
                _result = failed;
            }

            _pending = default;
            session.Execute(this);
        }
    }
}
