using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>A stored message waiting for its turn in seq order; <paramref name="Sender"/> (the sending device) does not get it.</summary>
internal readonly record struct PendingDelivery(Message Message, DeviceLink? Sender);
