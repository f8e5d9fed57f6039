using Chat.Protocol.Packets;

namespace Chat.ChatService.Chat;

/// <summary>
/// What the chat logic needs of a client connection. A direct TCP connection and a mux stream both
/// implement it (Transport/ChannelConnection); the chat code never asks which one it has, except
/// for how a connection ends (a stream is reset with a reason the gateway acts on, a socket gets
/// an Error packet and a close). Every member is safe from any thread.
/// </summary>
internal interface IClientConnection
{
    /// <summary>For logs: "direct 10.0.0.7:51234" or "stream 17 from 10.0.0.7:51234".</summary>
    string Name { get; }

    /// <summary>For a mux stream, how the gateway routed it; null for a direct connection.</summary>
    StreamRoute? Route { get; }

    /// <summary>False while the peer does not read fast enough (socket buffer or stream credit full).</summary>
    bool IsWritable { get; }

    /// <summary>Writes <paramref name="packet"/>; flushes soon (flushes are coalesced per connection).</summary>
    void Send(ClientPacket packet);

    /// <summary>
    /// Ends the connection: a direct socket gets <paramref name="error"/> (if any) and closes; a
    /// stream is reset with the matching reason (NotOwner and Moved carry <paramref name="epoch"/>
    /// and no Error packet: the gateway re-routes the client instead).
    /// </summary>
    void End(EndReason reason, Error? error, long epoch = 0);

    /// <summary>Stops (false) or resumes (true) reading the client's bytes: backpressure when the couple's loop falls behind.</summary>
    void SetReading(bool enabled);
}
