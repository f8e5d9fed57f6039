using System.Threading.Channels;
using Chat.Client.Connection;
using Chat.Client.Diagnostics;
using Chat.Client.Events;

namespace Chat.Client;

/// <summary>
/// Events: produced by the read loop and the connection loop into one bounded queue, raised by one
/// dispatcher task, one at a time, in the order produced. Handlers therefore never run on the socket
/// loop, never run concurrently with each other, and see messages strictly in seq order.
/// </summary>
public sealed partial class ChatClient
{
    private readonly Channel<ClientEvent> _events;
    private readonly AsyncLocal<bool> _inHandler = new();
    private Task _dispatcher = Task.CompletedTask;

    /// <summary>
    /// A message of the couple, each seq exactly once and in seq order: the partner's, this user's
    /// other devices', and this device's own messages once acknowledged. Raised on the client's
    /// dispatcher task, never concurrently with another event.
    /// </summary>
    public event EventHandler<ChatMessage>? MessageReceived;

    /// <summary>The partner started or stopped typing.</summary>
    public event EventHandler<TypingSignal>? TypingChanged;

    /// <summary>A user's connected devices changed (also sent for the partner right after each connect).</summary>
    public event EventHandler<PresenceSignal>? PresenceChanged;

    /// <summary>A read mark moved: the partner's, or this user's from another device.</summary>
    public event EventHandler<ReadMark>? ReadMarkChanged;

    /// <summary>Connecting, Connected, Reconnecting (with the reason) or Closed.</summary>
    public event EventHandler<StateChange>? StateChanged;

    /// <summary>An Error packet the client could not settle itself, or a protocol problem; for logs and diagnostics.</summary>
    public event EventHandler<ServerError>? Error;

    private static Channel<ClientEvent> CreateEventQueue(int capacity) =>
        Channel.CreateBounded<ClientEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>Queues an event; waits while the queue is full (the app is slow), which stops the caller reading the socket.</summary>
    /// <remarks>Once the client is disposing, a wait for room is cancelled and the event dropped (the final Closed event passes <see cref="CancellationToken.None"/>).</remarks>
    private async ValueTask EmitAsync(ClientEventKind kind, object payload, LiveConnection? connection = null, CancellationToken? cancel = null)
    {
        var item = new ClientEvent(kind, payload);
        var writer = _events.Writer;
        if (writer.TryWrite(item))
        {
            return;
        }

        if (connection is not null)
        {
            connection.ReaderBlocked = true;
        }

        try
        {
            while (!writer.TryWrite(item))
            {
                if (!await writer.WaitToWriteAsync(cancel ?? _lifetime.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposing: the app stops listening; nothing is owed to it any more.
        }
        finally
        {
            if (connection is not null)
            {
                connection.ReaderBlocked = false;
            }
        }
    }

    private async ValueTask EmitMessagesAsync(List<ChatMessage> ready, LiveConnection connection)
    {
        if (ready.Count == 0)
        {
            return;
        }

        Volatile.Write(ref _lastSeq, _buffer.LastSeq);
        _gapOpen = _buffer.HasGap;
        foreach (var message in ready)
        {
            _counters.MessageDelivered();
            await EmitAsync(ClientEventKind.Message, message, connection).ConfigureAwait(false);
        }

        ready.Clear();
    }

    private async Task DispatchAsync()
    {
        _inHandler.Value = true;
        await foreach (var item in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            switch (item.Kind)
            {
                case ClientEventKind.Message:
                    Raise(MessageReceived, (ChatMessage)item.Payload);
                    break;
                case ClientEventKind.Typing:
                    Raise(TypingChanged, (TypingSignal)item.Payload);
                    break;
                case ClientEventKind.Presence:
                    Raise(PresenceChanged, (PresenceSignal)item.Payload);
                    break;
                case ClientEventKind.ReadMark:
                    Raise(ReadMarkChanged, (ReadMark)item.Payload);
                    break;
                case ClientEventKind.State:
                    Raise(StateChanged, (StateChange)item.Payload);
                    break;
                case ClientEventKind.Error:
                    Raise(Error, (ServerError)item.Payload);
                    break;
            }
        }
    }

    /// <summary>
    /// Calls each handler on its own: an app bug in one handler is logged and neither stops the
    /// other handlers of the event nor the events after it.
    /// </summary>
    private void Raise<T>(EventHandler<T>? handlers, T argument)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(this, argument);
            }
            catch (Exception ex)
            {
                ClientLog.HandlerFailed(_logger, ex);
            }
        }
    }
}
