namespace Chat.Client.Events;

/// <summary>Which public event a queued <see cref="ClientEvent"/> raises.</summary>
internal enum ClientEventKind
{
    Message,
    Typing,
    Presence,
    ReadMark,
    State,
    Error,
}
