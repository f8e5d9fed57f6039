using Chat.Client;

namespace Chat.Tests.Functional.Client;

/// <summary>The messages a ChatClient handed to the app, in the order it did.</summary>
internal sealed class MessageLog
{
    private readonly Lock _lock = new();
    private readonly List<ChatMessage> _messages = [];

    public MessageLog(ChatClient client) => client.MessageReceived += (_, message) =>
    {
        lock (_lock)
        {
            _messages.Add(message);
        }
    };

    public IReadOnlyList<ChatMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyList<long> Seqs => [.. Messages.Select(m => m.Seq)];

    /// <summary>Waits (bounded poll) until <paramref name="count"/> messages arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Messages.Count} of {count} messages arrived: {string.Join(',', Seqs)}");
            }

            await Task.Delay(20);
        }
    }
}
