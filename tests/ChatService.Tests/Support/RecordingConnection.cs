using System.Collections.Concurrent;
using Chat.ChatService.Chat;
using Chat.Protocol.Packets;

namespace Chat.Tests.ChatService.Support;

/// <summary>An <see cref="IClientConnection"/> that records what the session sends it (a single-class unit-test fake).</summary>
internal sealed class RecordingConnection(string name) : IClientConnection
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<ClientPacket> _sent = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public string Name => name;

    public StreamRoute? Route => null;

    public bool IsWritable => true;

    public EndReason? Ended { get; private set; }

    /// <summary>Everything sent so far, in order.</summary>
    public IReadOnlyList<ClientPacket> Sent => [.. _sent];

    public IEnumerable<T> Of<T>(PacketKind kind, Func<ClientPacket, T> select) => Sent.Where(p => p.Kind == kind).Select(select);

    public void Send(ClientPacket packet)
    {
        _sent.Enqueue(packet);
        _arrived.Release();
    }

    public void End(EndReason reason, Error? error, long epoch = 0) => Ended = reason;

    public void SetReading(bool enabled)
    {
        // Inbound backpressure is the connection's business; these tests hand packets to the session directly.
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> packets of <paramref name="kind"/> were sent.</summary>
    public async Task<List<ClientPacket>> WaitForAsync(PacketKind kind, int count = 1)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var matching = Sent.Where(p => p.Kind == kind).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{name}: {matching.Count} of {count} {kind} within {Timeout}; sent: {string.Join(", ", Sent.Select(p => p.Kind))}");
            }
        }
    }
}
