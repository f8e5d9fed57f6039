using System.Net;
using Chat.Multiplexing.Session;
using Chat.Protocol.Multiplexing;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing;

/// <summary>
/// The gateway's end of one authenticated mux connection to a shard. Opens streams; every member
/// is safe from any thread (work runs on the connection's event loop, results come back on the
/// thread pool, never on the loop).
/// </summary>
public sealed class MuxClientConnection
{
    private readonly IChannel _channel;
    private readonly MuxSession _session;

    internal MuxClientConnection(IChannel channel, MuxSession session)
    {
        _channel = channel;
        _session = session;
    }

    /// <summary>The shard's id, proven by its HelloOk MAC.</summary>
    public string ShardId => _session.PeerId;

    /// <summary>The shard's address.</summary>
    public EndPoint RemoteAddress => _channel.RemoteAddress;

    /// <summary>Streams open now.</summary>
    public int StreamCount => _session.StreamCount;

    /// <summary>True while new streams can be opened (connected, no GoAway either way).</summary>
    public bool IsAcceptingStreams => _session.AcceptingStreams && _channel.Active;

    /// <summary>Completes when the connection is closed.</summary>
    public Task Closed => _channel.CloseCompletion;

    /// <summary>Completes with the shard's GoAway, or with null if the connection closes without one.</summary>
    public Task<MuxGoAwayEvent?> GoAwayReceived => _session.GoAwayReceived;

    /// <summary>
    /// Opens a stream: sends Open (couple, epoch, client address, raw Auth frame, Migrated flag) and
    /// registers a stream channel whose pipeline <paramref name="initializer"/> sets up (it must be
    /// sharable, e.g. a <c>ChannelInitializer</c>). The shard may still refuse the stream: its pipeline
    /// then hears a <see cref="MuxStreamResetEvent"/> (NotOwner, Refused...) and the channel closes.
    /// </summary>
    /// <exception cref="OperationCanceledException">Canceled before the open was attempted.</exception>
    public ValueTask<MuxOpenResult> OpenStreamAsync(MuxOpenRequest request, IChannelHandler initializer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentException.ThrowIfNullOrEmpty(request.CoupleId);
        if (request.AuthFrame.IsEmpty)
        {
            throw new ArgumentException("an Open carries the client's Auth frame", nameof(request));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_channel.Active)
        {
            return new(new MuxOpenResult(MuxOpenStatus.ConnectionClosed, null));
        }

        var completion = new TaskCompletionSource<MuxOpenResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _channel.EventLoop.Execute(() =>
            {
                try
                {
                    completion.TrySetResult(_session.OpenStream(request, initializer));
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
            });
        }
        catch (RejectedExecutionException)
        {
            return new(new MuxOpenResult(MuxOpenStatus.ConnectionClosed, null));
        }

        return new(completion.Task);
    }

    /// <summary>Sends GoAway: Draining stops new streams both ways; other reasons also close the connection.</summary>
    public Task GoAwayAsync(GoAwayReason reason, string text) => EventLoopWork.RunAsync(_channel, () => _session.SendGoAway(reason, text));

    /// <summary>Closes the connection; open streams hear <see cref="MuxConnectionLostEvent"/> (LocalClose) and close.</summary>
    public Task CloseAsync()
    {
        _ = EventLoopWork.RunAsync(_channel, () => _session.CloseConnection(MuxConnectionLossReason.LocalClose, "closed by the gateway"));
        return _channel.CloseCompletion;
    }
}
