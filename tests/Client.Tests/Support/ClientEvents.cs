using Chat.Client;

namespace Chat.Tests.Client.Support;

/// <summary>Records everything a <see cref="ChatClient"/> raises, for assertions and bounded waits.</summary>
internal sealed class ClientEvents
{
    private readonly Lock _lock = new();
    private readonly List<ChatMessage> _messages = [];
    private readonly List<StateChange> _states = [];
    private readonly List<ServerError> _errors = [];
    private readonly List<object> _signals = [];

    public ClientEvents(ChatClient client)
    {
        client.MessageReceived += (_, message) => Add(_messages, message);
        client.StateChanged += (_, change) => Add(_states, change);
        client.Error += (_, error) => Add(_errors, error);
        client.TypingChanged += (_, typing) => Add(_signals, typing);
        client.PresenceChanged += (_, presence) => Add(_signals, presence);
        client.ReadMarkChanged += (_, mark) => Add(_signals, mark);
    }

    public IReadOnlyList<ChatMessage> Messages => Copy(_messages);

    public IReadOnlyList<long> Seqs => [.. Messages.Select(m => m.Seq)];

    public IReadOnlyList<StateChange> States => Copy(_states);

    public IReadOnlyList<ServerError> Errors => Copy(_errors);

    public IReadOnlyList<object> Signals => Copy(_signals);

    /// <summary>
    /// Waits until every event caused by what <paramref name="connection"/> sent so far has been raised:
    /// sends a sentinel Typing (events are raised in the order produced) and waits for it.
    /// </summary>
    public async Task DrainAsync(ServerConnection connection)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}";
        await connection.SendAsync(new Chat.Protocol.Packets.Typing { On = false, UserId = sentinel });
        await TaskTimeouts.UntilAsync(() => Signals.OfType<TypingSignal>().Any(t => t.UserId == sentinel), "the sentinel event was raised");
    }

    public Task WaitForMessagesAsync(int count) => TaskTimeouts.UntilAsync(() => Messages.Count >= count, $"{count} messages were delivered");

    public Task WaitForStateAsync(ConnectionState state, DisconnectReason? reason = null) =>
        TaskTimeouts.UntilAsync(() => States.Any(s => s.State == state && (reason is null || s.Reason == reason)), $"state {state} ({reason})");

    private void Add<T>(List<T> list, T item)
    {
        lock (_lock)
        {
            list.Add(item);
        }
    }

    private List<T> Copy<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
