using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Chat.Cluster.Membership;

/// <summary>
/// Runs one piece of background work whenever signalled, never twice at once; signals that arrive
/// while it runs collapse into one more run. Work that reports "not done" runs again after a delay.
/// </summary>
internal sealed class SignalLoop : IAsyncDisposable
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly Func<CancellationToken, Task<bool>> _work;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    public SignalLoop(Func<CancellationToken, Task<bool>> work, TimeSpan retryDelay, TimeProvider time, ILogger logger)
    {
        _work = work;
        _retryDelay = retryDelay;
        _time = time;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    public void Signal() => _signals.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (await _signals.Reader.WaitToReadAsync(stop))
            {
                _signals.Reader.TryRead(out _);
                bool done;
                try
                {
                    done = await _work(stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug in the work must not end membership for the life of the process.
                    MembershipLog.LoopFailed(_logger, ex);
                    done = false;
                }

                if (!done)
                {
                    await Task.Delay(_retryDelay, _time, stop);
                    Signal();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
