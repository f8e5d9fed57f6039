using System.Net;
using Chat.Multiplexing.Session;
using Chat.Protocol.Multiplexing;
using DotNetty.Buffers;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;

namespace Chat.Multiplexing;

/// <summary>
/// One stream of a mux connection as a DotNetty channel with its own pipeline, running on the mux
/// connection's event loop (as Netty's HTTP/2 child channels). Reads are the peer's Data payloads
/// as <see cref="IByteBuffer"/>s; writes become Data frames as the peer's credit allows and queue
/// beyond it. <see cref="IChannel.IsWritable"/> is false while credit is exhausted or the queue is
/// past the high-water mark; past <see cref="MuxSessionOptions.MaxQueuedBytesPerStream"/> the stream
/// is reset with SlowConsumer. Closing sends Reset(Closed) unless the peer ended the stream first.
/// </summary>
public sealed partial class MuxStreamChannel : AbstractChannel
{
    // Writability bit for "no send credit" (bit 0 is DotNetty's water-mark bit).
    private const int CreditWritabilityIndex = 1;

    private static readonly ChannelMetadata StreamMetadata = new(false);

    private readonly MuxSession _session;
    private readonly DefaultChannelConfiguration _configuration;
    private readonly Queue<InboundChunk> _inbound = new();
    private readonly EndPoint? _remoteAddress;
    private readonly int _maxQueuedBytes;
    private StreamState _state;
    private bool _readPending;
    private bool _readCompleteOwed;
    private bool _closedByPeer;
    private bool _slowConsumerScheduled;
    private ResetReason _resetReason = ResetReason.Closed;
    private long _resetEpoch;
    private string? _resetText;
    private long _externallyConsumed;

    internal MuxStreamChannel(IChannel parent, MuxSession session, uint streamId, MuxOpenRequest request, MuxSessionOptions options, long sendCredit)
        : base(parent)
    {
        _session = session;
        StreamId = streamId;
        OpenRequest = request;
        SendCredit = sendCredit;
        ReceiveWindow = options.InitialStreamWindow;
        _maxQueuedBytes = options.MaxQueuedBytesPerStream;
        _remoteAddress = IPEndPoint.TryParse(request.ClientAddress, out var client) ? client : null;
        _configuration = new DefaultChannelConfiguration(this) { Allocator = parent.Allocator };
        _configuration.WriteBufferLowWaterMark = 0;
        _configuration.WriteBufferHighWaterMark = options.StreamWriteHighWaterMark;
        _configuration.WriteBufferLowWaterMark = options.StreamWriteLowWaterMark;
    }

    private enum StreamState
    {
        Created,
        Active,
        Closed,
    }

    /// <summary>The stream id on its mux connection.</summary>
    public uint StreamId { get; }

    /// <summary>What the stream was opened with (couple, epoch, client address, Auth frame, Migrated).</summary>
    public MuxOpenRequest OpenRequest { get; }

    /// <inheritdoc />
    public override IChannelConfiguration Configuration => _configuration;

    /// <inheritdoc />
    public override bool Open => _state != StreamState.Closed;

    /// <inheritdoc />
    public override bool Active => _state == StreamState.Active;

    /// <inheritdoc />
    public override ChannelMetadata Metadata => StreamMetadata;

    // Flow-control state, touched only on the event loop by the session.
    internal long SendCredit { get; set; }

    internal long ReceiveWindow { get; set; }

    internal long UnreturnedCredit { get; set; }

    internal long Unconsumed { get; set; }

    internal bool WaitingForParent { get; set; }

    internal bool InReadCompleteList { get; set; }

    /// <inheritdoc />
    protected override EndPoint LocalAddressInternal => Parent.LocalAddress;

    /// <inheritdoc />
    protected override EndPoint RemoteAddressInternal => _remoteAddress ?? Parent.RemoteAddress;

    /// <summary>
    /// In <see cref="MuxCreditMode.Explicit"/> mode: <paramref name="count"/> bytes delivered by reads
    /// are done with (e.g. written and flushed to the client), so the peer may send that much more.
    /// Safe from any thread; counts beyond what was delivered are ignored. No effect in Automatic mode.
    /// </summary>
    public void ConsumeBytes(int count)
    {
        if (count <= 0 || !Registered)
        {
            return;
        }

        if (EventLoop.InEventLoop)
        {
            _session.OnConsumed(this, count);
            return;
        }

        // Coalesce calls from other threads into one task on the loop.
        if (Interlocked.Add(ref _externallyConsumed, count) == count)
        {
            Execute(static s => ((MuxStreamChannel)s).DrainExternallyConsumed(), this);
        }
    }

    /// <summary>
    /// Ends the stream with a Reset carrying <paramref name="reason"/> (e.g. Moved or NotOwner with the
    /// shard's epoch) instead of Closed. Safe from any thread; completes when the stream is closed.
    /// </summary>
    public Task ResetAsync(ResetReason reason, long epoch = 0, string? text = null)
    {
        if (!Registered)
        {
            return CloseCompletion;
        }

        if (EventLoop.InEventLoop)
        {
            ResetNow(reason, epoch, text);
        }
        else
        {
            Execute(s => ((MuxStreamChannel)s).ResetNow(reason, epoch, text), this);
        }

        return CloseCompletion;
    }

    internal void SetCreditWritable(bool writable) =>
        Unsafe.OutboundBuffer?.SetUserDefinedWritability(CreditWritabilityIndex, writable);

    /// <summary>Reset decided by this side's policy: the pipeline hears why, then the stream closes with that reason.</summary>
    internal void ResetLocally(ResetReason reason, string text)
    {
        if (_state == StreamState.Closed)
        {
            return;
        }

        Pipeline.FireUserEventTriggered(new MuxStreamResetEvent(reason, 0, text, IsLocal: true));
        ResetNow(reason, 0, text);
    }

    /// <summary>The peer ended the stream (Reset received, or its GoAway left the stream unprocessed): no Reset goes back.</summary>
    internal void CloseByPeer(MuxStreamResetEvent reset)
    {
        if (_state == StreamState.Closed)
        {
            return;
        }

        _closedByPeer = true;
        Pipeline.FireUserEventTriggered(reset);
        Unsafe.CloseAsync();
    }

    /// <summary>The mux connection ended: the pipeline hears why, then the stream closes without a Reset.</summary>
    internal void CloseForConnectionLoss(MuxConnectionLostEvent lost)
    {
        if (_state == StreamState.Closed)
        {
            return;
        }

        _closedByPeer = true;
        Pipeline.FireUserEventTriggered(lost);
        Unsafe.CloseAsync();
    }

    private void ResetNow(ResetReason reason, long epoch, string? text)
    {
        if (_state == StreamState.Closed)
        {
            return;
        }

        _resetReason = reason;
        _resetEpoch = epoch;
        _resetText = text;
        Unsafe.CloseAsync();
    }

    private void DrainExternallyConsumed()
    {
        var count = Interlocked.Exchange(ref _externallyConsumed, 0);
        if (count > 0)
        {
            _session.OnConsumed(this, (int)Math.Min(count, int.MaxValue));
        }
    }

    private void Execute(Action<object> action, object state)
    {
        try
        {
            EventLoop.Execute(action, state);
        }
        catch (RejectedExecutionException)
        {
            // The event loop is shutting down: the stream is being torn down with it, nothing to do.
        }
    }

    private readonly record struct InboundChunk(IByteBuffer Buffer, bool CountsAgainstWindow);
}
