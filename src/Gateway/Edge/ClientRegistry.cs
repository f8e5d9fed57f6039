using System.Collections.Concurrent;
using Chat.Gateway.Relay;
using DotNetty.Transport.Channels;

namespace Chat.Gateway.Edge;

/// <summary>
/// Every open client connection of this gateway, with its session once authenticated: counts for
/// metrics and /readyz, the sessions to close at stop. (The drain and the weights count connections
/// with the admission controller, which also sees connections still in their TLS handshake.)
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
        }
    }

    /// <summary>A snapshot of the open connections.</summary>
    public IReadOnlyList<IChannel> Channels() => [.. _connections.Keys];

    /// <summary>A snapshot of the authenticated sessions.</summary>
    public IReadOnlyList<ClientSession> Sessions() => [.. _connections.Values.OfType<ClientSession>()];
}
