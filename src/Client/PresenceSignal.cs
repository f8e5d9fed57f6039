namespace Chat.Client;

/// <summary>The payload of <see cref="ChatClient.PresenceChanged"/>: how many devices of <paramref name="UserId"/> are connected.</summary>
public sealed record PresenceSignal(string UserId, bool Online, int Devices);
