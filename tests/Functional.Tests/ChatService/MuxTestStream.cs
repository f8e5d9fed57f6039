using System.Buffers;
using System.Threading.Channels;
using Chat.Multiplexing;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// The test's end of one mux stream, as a gateway would hold it but decoding the client packets the
/// shard sends: a handler in the stream's pipeline that queues every packet, and remembers how the
/// stream ended (the shard's Reset, or the connection's loss).
/// </summary>
internal sealed class MuxTestStream : ChannelHandlerAdapter
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<ClientPacket> _received = System.Threading.Channels.Channel.CreateUnbounded<ClientPacket>();
    private readonly TaskCompletionSource<object?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ClientPacket> _stash = [];
    private byte[] _buffer = new byte[4096];
    private int _filled;
    private object? _endEvent;

    public MuxStreamChannel? Channel { get; private set; }

    /// <summary>Completes when the stream closed: with the <see cref="MuxStreamResetEvent"/> or <see cref="MuxConnectionLostEvent"/> heard first, or null.</summary>
    public Task<object?> Ended => _ended.Task;

    /// <summary>Waits for the stream to end and returns the shard's Reset (fails the test if it ended otherwise).</summary>
    public async Task<MuxStreamResetEvent> ResetAsync(TimeSpan? timeout = null)
    {
        var ended = await Ended.WaitAsync(timeout ?? DefaultTimeout);
        return ended as MuxStreamResetEvent ?? throw new InvalidOperationException($"the stream ended without a Reset: {ended?.ToString() ?? "(closed)"}");
    }

    public void Attach(MuxStreamChannel channel) => Channel = channel;

    public async Task SendAsync(ClientPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        if (PacketCodec.Default.Write(packet, writer) != FrameStatus.Ok)
        {
            throw new InvalidOperationException("packet too large");
        }

        await Channel!.WriteAndFlushAsync(Unpooled.WrappedBuffer(writer.WrittenSpan.ToArray())).WaitAsync(DefaultTimeout);
    }

    /// <summary>The next packet, or null once the stream closed.</summary>
    public async Task<ClientPacket?> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (_stash.Count > 0)
        {
            var first = _stash[0];
            _stash.RemoveAt(0);
            return first;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no packet within {timeout ?? DefaultTimeout}");
        }
    }

    /// <summary>The next packet of <paramref name="kind"/>; others received meanwhile are kept for later calls.</summary>
    public async Task<ClientPacket> NextAsync(PacketKind kind, TimeSpan? timeout = null)
    {
        var index = _stash.FindIndex(p => p.Kind == kind);
        if (index >= 0)
        {
            var stashed = _stash[index];
            _stash.RemoveAt(index);
            return stashed;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ClientPacket packet;
            try
            {
                packet = await _received.Reader.ReadAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                throw new InvalidOperationException(
                    $"no {kind} ({(ex is ChannelClosedException ? "stream closed" : "timeout")}); got meanwhile: {string.Join(", ", _stash.Select(Support.ChatTestClient.Describe))}; end: {_endEvent}");
            }

            if (packet.Kind == kind)
            {
                return packet;
            }

            _stash.Add(packet);
        }
    }

    /// <summary>Reads until the stream closes; returns what came before.</summary>
    public async Task<List<ClientPacket>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var packets = new List<ClientPacket>(_stash);
        _stash.Clear();
        while (await ReceiveAsync(timeout) is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    public override bool IsSharable => false;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        var buffer = (IByteBuffer)message;
        try
        {
            var length = buffer.ReadableBytes;
            if (_filled + length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _filled + length));
            }

            buffer.ReadBytes(_buffer, _filled, length);
            _filled += length;
        }
        finally
        {
            buffer.Release();
        }

        var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
        while (PacketCodec.Default.TryRead(ref sequence, out var packet) == FrameStatus.Ok)
        {
            _received.Writer.TryWrite(packet!);
        }

        var consumed = _filled - (int)sequence.Length;
        Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _filled - consumed);
        _filled -= consumed;
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is MuxStreamResetEvent or MuxConnectionLostEvent)
        {
            _endEvent ??= evt;
        }

        context.FireUserEventTriggered(evt);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        _received.Writer.TryComplete();
        _ended.TrySetResult(_endEvent);
        context.FireChannelInactive();
    }
}
