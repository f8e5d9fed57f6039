namespace Chat.Client;

/// <summary>The payload of <see cref="ChatClient.ReadMarkChanged"/>: <paramref name="UserId"/> has read every message up to <paramref name="Seq"/>.</summary>
public sealed record ReadMark(string UserId, long Seq);
