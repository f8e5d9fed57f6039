using Chat.Protocol.Framing;
using Chat.Protocol.Packets;

namespace Chat.Client.Connection;

/// <summary>One result of <see cref="ClientConnection.ReadAsync"/>.</summary>
internal readonly record struct Inbound(InboundStatus Status, ClientPacket? Packet, FrameStatus Frame, string? Detail)
{
    public static Inbound Closed(string detail) => new(InboundStatus.Closed, null, FrameStatus.Ok, detail);
}
