using System.Net.Sockets;

namespace Chat.Cluster.ZooKeeper;

internal sealed partial class ZooKeeperConnection
{
    /// <summary>
    /// Re-arms the session's watches (SetWatches, relative to the last zxid seen, so the server fires
    /// what changed while we were away) before any queued call, then writes calls in queue order.
    /// </summary>
    private async Task<string> WriteLoopAsync(RequestQueue outgoing, CancellationToken cancellationToken)
    {
        ZooKeeperRequest? current = null;
        try
        {
            var (data, exist, child) = _context.Watches.Paths();
            var chroot = _context.Chroot;
            var frames = RequestEncoder.SetWatches(
                _context.LastZxid,
                [.. data.Select(p => ZooKeeperPath.ToServer(chroot, p))],
                [.. exist.Select(p => ZooKeeperPath.ToServer(chroot, p))],
                [.. child.Select(p => ZooKeeperPath.ToServer(chroot, p))]);
            foreach (var frame in frames)
            {
                var setWatches = new ZooKeeperRequest<bool>(OpCode.SetWatches, frame, ReplyParsers.None);
                current = setWatches;
                await SendAsync(setWatches, SetWatchesXid, cancellationToken);
                current = null;
            }

            if (frames.Count > 0)
            {
                ZooKeeperLog.WatchesRestored(_context.Logger, Server, data.Count + exist.Count + child.Count);
            }

            while ((current = await outgoing.DequeueAsync(cancellationToken)) is not null)
            {
                // Completed while queued (a race with its timeout): its caller is gone, skip it.
                if (!current.IsCompleted)
                {
                    await SendAsync(current, _nextXid(), cancellationToken);
                }

                current = null;
            }

            return "client closed";
        }
        catch (OperationCanceledException)
        {
            return "connection stopped";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return ex.Message;
        }
        finally
        {
            // Taken from the queue but never in flight: nobody else will complete it.
            current?.Fail(ZooKeeperError.ConnectionLoss);
        }
    }

    private async Task<string> PingLoopAsync(CancellationToken cancellationToken)
    {
        var ping = RequestEncoder.Empty(OpCode.Ping);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ping.AsSpan(4), PingXid);
        try
        {
            while (true)
            {
                await Task.Delay(_sessionTimeout / 3, _context.Time, cancellationToken);
                await _writeLock.WaitAsync(cancellationToken);
                try
                {
                    await _stream.WriteAsync(ping, cancellationToken);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "connection stopped";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return ex.Message;
        }
    }

    /// <summary>Adds the request to the in-flight queue, then writes it; both under the write lock so order holds.</summary>
    private async Task SendAsync(ZooKeeperRequest request, int xid, CancellationToken cancellationToken)
    {
        request.StampXid(xid);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            lock (_inFlightLock)
            {
                _inFlight.Enqueue(request);
            }

            await _stream.WriteAsync(request.Frame, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
