using Chat.Protocol.Packets;

namespace Chat.Client;

/// <summary>
/// The payload of <see cref="ChatClient.Error"/>: an Error packet the client could not settle by
/// itself (a failed send ends its <see cref="ChatClient.SendAsync"/> instead), or a protocol problem.
/// </summary>
/// <param name="Code">The server's code; an unknown number is passed through as is.</param>
/// <param name="Text">Human-readable detail; never parse it.</param>
/// <param name="ClientMsgId">The Send it refers to, when the server named one.</param>
public sealed record ServerError(ErrorCode Code, string Text, string? ClientMsgId);
