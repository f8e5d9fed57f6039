namespace Chat.Client.Events;

/// <summary>One event waiting for the app's handlers; <see cref="Payload"/> is the event's argument.</summary>
internal readonly record struct ClientEvent(ClientEventKind Kind, object Payload);
