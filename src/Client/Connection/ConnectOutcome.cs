using System.Net;

namespace Chat.Client.Connection;

/// <summary>A transport connection, or why there is none.</summary>
internal readonly record struct ConnectOutcome(ClientConnection? Connection, DisconnectReason Failure, string? Detail, IPAddress? Address)
{
    public static ConnectOutcome Failed(DisconnectReason reason, string detail, IPAddress? address = null) => new(null, reason, detail, address);
}
