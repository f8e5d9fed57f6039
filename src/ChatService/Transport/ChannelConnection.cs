using Chat.ChatService.Chat;
using Chat.Protocol.Packets;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.ChatService.Transport;

/// <summary>
/// <see cref="IClientConnection"/> over a DotNetty channel: a direct TCP connection, or a mux
/// stream (<see cref="StreamRoute"/> set). Writes may come from any thread (the couple's loop
/// usually); flushes are coalesced into one task per burst on the channel's loop, so a couple
/// delivering many messages costs one socket write per burst, not one per packet.
/// </summary>
internal sealed class ChannelConnection : IClientConnection
{
    private static readonly Action<Task> ObserveFault = static task => _ = task.Exception;

    private readonly IChannel _channel;
    private readonly Action _flush;
    private int _flushScheduled;

    public ChannelConnection(IChannel channel, StreamRoute? route, string name)
    {
        _channel = channel;
        Route = route;
        Name = name;
        _flush = Flush;
    }

    public string Name { get; }

    public StreamRoute? Route { get; }

    public bool IsWritable => _channel.IsWritable;

    public void Send(ClientPacket packet)
    {
        Observe(_channel.WriteAsync(packet));
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 0)
        {
            Execute(_flush);
        }
    }

    public void End(EndReason reason, Error? error, long epoch = 0)
    {
        if (Route is not null && StreamEnds.TryReset(_channel, reason, error, epoch))
        {
            return;
        }

        if (error is not null)
        {
            Observe(_channel.WriteAndFlushAsync(new ClientPacket { Error = error }));
        }

        Observe(_channel.CloseAsync());
    }

    public void SetReading(bool enabled) => Execute(() => _channel.Configuration.AutoRead = enabled);

    private static void Observe(Task task)
    {
        // A write to a connection that is closing fails; nobody waits for it, but an unobserved
        // faulted task would be reported at finalization.
        if (!task.IsCompleted)
        {
            task.ContinueWith(ObserveFault, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else if (task.IsFaulted)
        {
            ObserveFault(task);
        }
    }

    private void Flush()
    {
        Volatile.Write(ref _flushScheduled, 0);
        _channel.Flush();
    }

    private void Execute(Action action)
    {
        try
        {
            _channel.EventLoop.Execute(action);
        }
        catch (RejectedExecutionException)
        {
            // The loop shuts down with the process; the connection goes with it.
        }
    }
}
