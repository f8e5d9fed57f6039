using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol.Framing;
using Chat.Protocol.Packets;
using HdrHistogram;

namespace Chat.Benchmarks.ShardLoad;

/// <summary>
/// One device of the load: a TCP connection to the shard that sends Text messages as fast as the
/// shard acknowledges them, with at most <c>inFlight</c> unacknowledged, and records send-to-ack
/// latency. It also receives its partner's messages (the shard's delivery work).
/// </summary>
internal sealed class LoadDevice : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SemaphoreSlim _window;
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly LongHistogram _latency;
    private readonly string _prefix;
    private readonly byte[] _body;
    private long _acked;
    private long _delivered;

    private LoadDevice(Socket socket, int inFlight, string prefix, int bodyBytes, LongHistogram latency)
    {
        _socket = socket;
        _window = new SemaphoreSlim(inFlight, inFlight);
        _prefix = prefix;
        _body = new byte[bodyBytes];
        Random.Shared.NextBytes(_body);
        _latency = latency;
    }

    public long Acked => Interlocked.Read(ref _acked);

    public long Delivered => Interlocked.Read(ref _delivered);

    public static async Task<LoadDevice> ConnectAsync(IPEndPoint shard, string token, string deviceId, int inFlight, int bodyBytes, LongHistogram latency)
    {
        var socket = new Socket(shard.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(shard);
        var device = new LoadDevice(socket, inFlight, $"{deviceId}-{Guid.NewGuid():N}"[..24], bodyBytes, latency);
        await device.WriteAsync(new Auth { Token = token, DeviceId = deviceId });
        return device;
    }

    /// <summary>Reads until the socket closes or <paramref name="stop"/>; AuthOk opens the send window.</summary>
    public async Task ReceiveAsync(CancellationToken stop)
    {
        var buffer = new byte[256 * 1024];
        var filled = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
                while (PacketCodec.Default.TryRead(ref sequence, out var packet) == FrameStatus.Ok)
                {
                    OnPacket(packet!);
                }

                var consumed = filled - (int)sequence.Length;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // End of the run.
        }
    }

    /// <summary>Sends until <paramref name="stop"/>, never more than the window unacknowledged.</summary>
    public async Task SendAsync(CancellationToken stop)
    {
        var next = 0L;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _window.WaitAsync(stop);
                var id = _prefix + "-" + next++.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _sentAt[id] = Stopwatch.GetTimestamp();
                await WriteAsync(new Send { ClientMsgId = id, Kind = MessageKind.Text, Body = _body });
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // End of the run.
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _window.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnPacket(ClientPacket packet)
    {
        switch (packet.Kind)
        {
            case PacketKind.Ack:
                if (_sentAt.TryRemove(packet.Ack!.ClientMsgId!, out var start))
                {
                    lock (_latency)
                    {
                        _latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                    }

                    Interlocked.Increment(ref _acked);
                    _window.Release();
                }

                break;
            case PacketKind.Message:
                Interlocked.Increment(ref _delivered);
                break;
            case PacketKind.Error:
                Console.Error.WriteLine($"shard error {packet.Error!.Code}: {packet.Error.Text}");
                break;
            default:
                break;
        }
    }

    private async Task WriteAsync(ClientPacket packet)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        PacketCodec.Default.Write(packet, buffer);
        await _socket.SendAsync(buffer.WrittenMemory, SocketFlags.None);
    }
}
