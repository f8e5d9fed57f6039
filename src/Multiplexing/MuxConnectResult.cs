namespace Chat.Multiplexing;

/// <summary>Outcome of connecting: the connection when <see cref="Status"/> is Connected, else a detail for logs.</summary>
public readonly record struct MuxConnectResult(MuxConnectStatus Status, MuxClientConnection? Connection, string Detail);
