namespace Chat.Protocol.Packets;

/// <summary>Hand-written additions to the generated union: which member is set, and short constructors.</summary>
public partial class ClientPacket
{
    /// <summary>
    /// The member that is set. <see cref="PacketKind.None"/> when none is; when several are (only a
    /// badly built packet: the codec refuses to read or write those) the one with the lowest id.
    /// </summary>
    public PacketKind Kind
    {
        get
        {
            var isset = __isset;
            return isset.auth && Auth is not null ? PacketKind.Auth
                : isset.authOk && AuthOk is not null ? PacketKind.AuthOk
                : isset.send && Send is not null ? PacketKind.Send
                : isset.ack && Ack is not null ? PacketKind.Ack
                : isset.message && Message is not null ? PacketKind.Message
                : isset.typing && Typing is not null ? PacketKind.Typing
                : isset.presence && Presence is not null ? PacketKind.Presence
                : isset.readUpTo && ReadUpTo is not null ? PacketKind.ReadUpTo
                : isset.sync && Sync is not null ? PacketKind.Sync
                : isset.syncResult && SyncResult is not null ? PacketKind.SyncResult
                : isset.ping && Ping is not null ? PacketKind.Ping
                : isset.pong && Pong is not null ? PacketKind.Pong
                : isset.resyncHint && ResyncHint is not null ? PacketKind.ResyncHint
                : isset.goAway && GoAway is not null ? PacketKind.GoAway
                : isset.error && Error is not null ? PacketKind.Error
                : PacketKind.None;
        }
    }

    /// <summary>How many members are set (to a non-null value): exactly 1 in a valid packet.</summary>
    public int MemberCount
    {
        get
        {
            var isset = __isset;
            return Count(isset.auth && Auth is not null) + Count(isset.authOk && AuthOk is not null)
                + Count(isset.send && Send is not null) + Count(isset.ack && Ack is not null)
                + Count(isset.message && Message is not null) + Count(isset.typing && Typing is not null)
                + Count(isset.presence && Presence is not null) + Count(isset.readUpTo && ReadUpTo is not null)
                + Count(isset.sync && Sync is not null) + Count(isset.syncResult && SyncResult is not null)
                + Count(isset.ping && Ping is not null) + Count(isset.pong && Pong is not null)
                + Count(isset.resyncHint && ResyncHint is not null) + Count(isset.goAway && GoAway is not null)
                + Count(isset.error && Error is not null);

            static int Count(bool set) => set ? 1 : 0;
        }
    }

    public static implicit operator ClientPacket(Auth packet) => new() { Auth = packet };

    public static implicit operator ClientPacket(AuthOk packet) => new() { AuthOk = packet };

    public static implicit operator ClientPacket(Send packet) => new() { Send = packet };

    public static implicit operator ClientPacket(Ack packet) => new() { Ack = packet };

    public static implicit operator ClientPacket(Message packet) => new() { Message = packet };

    public static implicit operator ClientPacket(Typing packet) => new() { Typing = packet };

    public static implicit operator ClientPacket(Presence packet) => new() { Presence = packet };

    public static implicit operator ClientPacket(ReadUpTo packet) => new() { ReadUpTo = packet };

    public static implicit operator ClientPacket(Sync packet) => new() { Sync = packet };

    public static implicit operator ClientPacket(SyncResult packet) => new() { SyncResult = packet };

    public static implicit operator ClientPacket(Ping packet) => new() { Ping = packet };

    public static implicit operator ClientPacket(Pong packet) => new() { Pong = packet };

    public static implicit operator ClientPacket(ResyncHint packet) => new() { ResyncHint = packet };

    public static implicit operator ClientPacket(GoAway packet) => new() { GoAway = packet };

    public static implicit operator ClientPacket(Error packet) => new() { Error = packet };
}
