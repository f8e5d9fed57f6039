using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>The outcome of <see cref="ChatClient.ConnectAsync"/>.</summary>
/// <param name="Status">Connected or refused.</param>
/// <param name="Error">For <see cref="ConnectStatus.AuthFailed"/>: AuthFailed or TokenExpired.</param>
/// <param name="Detail">The server's text, for logs.</param>
public readonly record struct ConnectResult(ConnectStatus Status, ErrorCode? Error, string? Detail);
