using System.Buffers;
using System.Net.Sockets;

namespace Chat.Cluster.ZooKeeper;

internal sealed partial class ZooKeeperConnection
{
    /// <summary>
    /// Reads replies and events until the stream ends, breaks, or stays silent for two thirds of
    /// the session timeout (pings go every third, so silence means the server or the path is gone).
    /// </summary>
    private async Task<string> ReadLoopAsync(CancellationToken cancellationToken)
    {
        var silence = _sessionTimeout * 2 / 3;
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _context.Time);
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), idle);
        var header = new byte[4];
        try
        {
            while (true)
            {
                idle.CancelAfter(silence);
                var frame = await FrameIo.ReadAsync(_stream, header, _context.Options.MaxFrameBytes, idle.Token);
                if (frame is not var (buffer, length))
                {
                    return "the server closed the connection";
                }

                try
                {
                    if (HandleFrame(buffer.AsSpan(0, length)) is { } broken)
                    {
                        return broken;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"nothing received for {silence.TotalMilliseconds:F0} ms";
        }
        catch (OperationCanceledException)
        {
            return "connection stopped";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return ex.Message;
        }
        catch (JuteFormatException ex)
        {
            return $"malformed frame: {ex.Message}";
        }
    }

    /// <summary>Handles one frame; returns null, or why the connection must be dropped.</summary>
    private string? HandleFrame(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        var xid = reader.ReadInt();
        var zxid = reader.ReadLong();
        var error = (ZooKeeperError)reader.ReadInt();
        var body = frame[16..];
        switch (xid)
        {
            case PingXid:
            case AuthXid:
                return null;
            case WatchEventXid:
                // A watch event's zxid is -1: it must not count as seen.
                HandleWatchEvent(ref reader);
                return null;
            default:
                break;
        }

        ZooKeeperRequest? request;
        lock (_inFlightLock)
        {
            _inFlight.TryDequeue(out request);
        }

        if (request is null)
        {
            return $"reply xid {xid} with no request in flight";
        }

        if (request.Xid != xid)
        {
            request.Fail(ZooKeeperError.ConnectionLoss);
            return $"reply xid {xid} out of order (expected {request.Xid})";
        }

        if (zxid > 0)
        {
            _context.ObserveZxid(zxid);
        }

        // The watch is in the registry before the caller sees the reply, so no event can slip between.
        if (request.Watch is { } watch)
        {
            _context.Watches.Register(watch, error);
        }

        try
        {
            request.Complete(error, body);
        }
        catch (JuteFormatException ex)
        {
            request.Fail(ZooKeeperError.MarshallingError);
            return $"malformed reply to {request.Op}: {ex.Message}";
        }

        if (request.Op == OpCode.SetWatches && error != ZooKeeperError.Ok)
        {
            ZooKeeperLog.SetWatchesFailed(_context.Logger, Server, error);
        }

        return null;
    }

    /// <summary>WatcherEvent {type, state, path}: take the watchers it fires and queue them for the dispatcher.</summary>
    private void HandleWatchEvent(ref JuteReader reader)
    {
        var type = reader.ReadInt();
        _ = reader.ReadInt();
        var serverPath = reader.ReadString();
        if (type is < (int)WatchEventType.NodeCreated or > (int)WatchEventType.NodeChildrenChanged || serverPath is null)
        {
            // State-only events (type None) and watch-removal notices carry nothing to fire.
            return;
        }

        var path = ZooKeeperPath.FromServer(_context.Chroot, serverPath);
        var watchEvent = new WatchedEvent((WatchEventType)type, path);
        var watchers = _context.Watches.Trigger(watchEvent.Type, path);
        ZooKeeperLog.WatchEvent(_context.Logger, watchEvent.Type, path, watchers.Count);
        foreach (var watcher in watchers)
        {
            _context.Dispatcher.Post(() => watcher(watchEvent));
        }
    }
}
