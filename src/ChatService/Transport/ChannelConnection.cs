using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<ClientPacket> _outbound = new();
    private readonly Action _drain;
    private int _drainScheduled;

    public ChannelConnection(IChannel channel, StreamRoute? route, string name)
    {
        _channel = channel;
        Route = route;
        Name = name;
        _drain = Drain;
    }

    public string Name { get; }

    public StreamRoute? Route { get; }

    public bool IsWritable => _channel.IsWritable;

    public void Send(ClientPacket packet)
    {
        _outbound.Enqueue(packet);
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            Execute(_drain);
        }
    }

    public void End(EndReason reason, Error? error, long epoch = 0)
    {
        // A stream: what is queued goes out, then (unless the gateway re-routes the client) the
        // Error, then the Reset the gateway acts on.
        if (Route is not null && StreamEnds.TryReset(_channel, reason, error, epoch, _drain))
        {
            return;
        }

        // Behind whatever is queued: the Error is the last thing the client reads.
        Execute(() =>
        {
            Drain();
            if (error is not null)
            {
                Observe(_channel.WriteAndFlushAsync(new ClientPacket { Error = error }));
            }

            Observe(_channel.CloseAsync());
        });
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

    private void Drain()
    {
        Volatile.Write(ref _drainScheduled, 0);
        var wrote = false;
        while (_outbound.TryDequeue(out var packet))
        {
            Observe(_channel.WriteAsync(packet));
            wrote = true;
        }

        if (wrote)
        {
            _channel.Flush();
        }
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
