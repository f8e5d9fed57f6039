namespace Chat.Client.Connection;

/// <summary>What <see cref="ClientConnection.ReadAsync"/> returned.</summary>
internal enum InboundStatus
{
    /// <summary>A packet.</summary>
    Packet,

    /// <summary>The peer closed, the socket failed, or the read was cancelled.</summary>
    Closed,

    /// <summary>A frame broke the protocol (see <see cref="Inbound.Frame"/>); the connection must close.</summary>
    BadFrame,
}
