using System.Net;
using Chat.Protocol.Packets;

namespace Chat.Client.Connection;

/// <summary>One connection attempt: an authenticated connection, or why not.</summary>
internal readonly record struct ConnectAttempt(LiveConnection? Live, AuthOk? AuthOk, EndpointAddress Endpoint, IPAddress? Address, DisconnectReason Failure, string? Detail)
{
    public static ConnectAttempt Failed(EndpointAddress endpoint, IPAddress? address, DisconnectReason failure, string? detail) =>
        new(null, null, endpoint, address, failure, detail);
}
