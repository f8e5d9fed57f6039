namespace Chat.Client;

/// <summary>The payload of <see cref="ChatClient.StateChanged"/>.</summary>
/// <param name="State">The new state.</param>
/// <param name="Reason">Why: for <see cref="ConnectionState.Reconnecting"/> what ended or failed last.</param>
/// <param name="Detail">Human-readable detail (exception or server text) for logs; never parse it.</param>
public sealed record StateChange(ConnectionState State, DisconnectReason Reason, string? Detail);
