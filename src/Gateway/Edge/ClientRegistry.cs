using System.Collections.Concurrent;
using Chat.Gateway.Relay;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// Every open client connection of this gateway, with its session once authenticated. The seam for
/// drain (GoAway everyone, wait for zero), weights (connection count) and admission (limits).
/// Safe from any thread.
/// </summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<IChannel, ClientSession?> _connections = new(ReferenceEqualityComparer.Instance);
    private int _authenticated;

    /// <summary>Open client connections (authenticated or not).</summary>
    public int Count => _connections.Count;

    /// <summary>Authenticated connections (with a session).</summary>
    public int AuthenticatedCount => Volatile.Read(ref _authenticated);

    /// <summary>Raised after a connection was removed (on the connection's event loop; keep it quick).</summary>
    public event Action<ClientRegistry>? ConnectionRemoved;

    public void Add(IChannel channel) => _connections.TryAdd(channel, null);

    public void SetSession(IChannel channel, ClientSession session)
    {
        if (_connections.TryUpdate(channel, session, null))
        {
            Interlocked.Increment(ref _authenticated);
        }
    }

    public void Remove(IChannel channel)
    {
        if (_connections.TryRemove(channel, out var session))
        {
            if (session is not null)
            {
                Interlocked.Decrement(ref _authenticated);
            }

            ConnectionRemoved?.Invoke(this);
        }
    }

    /// <summary>A snapshot of the open connections.</summary>
    public IReadOnlyList<IChannel> Channels() => [.. _connections.Keys];

    /// <summary>A snapshot of the authenticated sessions.</summary>
    public IReadOnlyList<ClientSession> Sessions() => [.. _connections.Values.OfType<ClientSession>()];

    /// <summary>
    /// Sends GoAway to every authenticated client (each with its own reconnect window, e.g. jittered)
    /// and closes connections that have not authenticated yet. Returns once the packets are written.
    /// </summary>
    public Task GoAwayAllAsync(Func<ClientSession, TimeSpan> reconnectWithin, string reason)
    {
        ArgumentNullException.ThrowIfNull(reconnectWithin);
        var tasks = new List<Task>();
        foreach (var (channel, session) in _connections)
        {
            tasks.Add(session is null ? channel.CloseAsync() : session.SendGoAwayAsync(reconnectWithin(session), reason));
        }

        return Task.WhenAll(tasks);
    }
}
