using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>How a couple session answers a connection's attach request; called on the couple's loop.</summary>
internal interface IAttachObserver
{
    /// <summary>The device is in the session and AuthOk is on its way: hand later packets to <paramref name="device"/>.</summary>
    void Attached(DeviceLink device);

    /// <summary>The attach failed (ownership moved, store down); the connection must end with this reason.</summary>
    void Refused(EndReason reason, Error? error, long epoch);

    /// <summary>The session was retired just before; ask the registry for a fresh one.</summary>
    void Retry();
}
