namespace Chat.Protocol.Packets;

/// <summary>Which member of a <see cref="ClientPacket"/> is set; the values are the union's field ids in chat.thrift.</summary>
public enum PacketKind
{
    /// <summary>No member this build knows is set (an empty union, or a packet added by a newer peer).</summary>
    None = 0,
    Auth = 1,
    AuthOk = 2,
    Send = 3,
    Ack = 4,
    Message = 5,
    Typing = 6,
    Presence = 7,
    ReadUpTo = 8,
    Sync = 9,
    SyncResult = 10,
    Ping = 11,
    Pong = 12,
    ResyncHint = 13,
    GoAway = 14,
    Error = 15,
}
