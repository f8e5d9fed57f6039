namespace Chat.Client;

/// <summary>The payload of <see cref="ChatClient.TypingChanged"/>: <paramref name="UserId"/> started or stopped typing.</summary>
public sealed record TypingSignal(string UserId, bool IsTyping);
