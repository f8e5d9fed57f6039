namespace Chat.Protocol.Multiplexing;

/// <summary>Constants of the mux wire (documented in mux.thrift and docs/multiplexing.md).</summary>
public static class MuxProtocol
{
    /// <summary>Protocol version carried in Challenge and Hello.</summary>
    public const int Version = 1;

    /// <summary>Size of the handshake nonces.</summary>
    public const int NonceSize = 32;

    /// <summary>Size of the handshake MACs (HMAC-SHA256).</summary>
    public const int MacSize = 32;

    /// <summary>Payload size of Ping and Pong.</summary>
    public const int PingPayloadSize = 8;

    /// <summary>Payload size of Window.</summary>
    public const int WindowPayloadSize = 4;

    /// <summary>Largest Window increment and largest credit a stream may hold (as HTTP/2, RFC 9113 6.9.1).</summary>
    public const uint MaxWindow = int.MaxValue;
}
