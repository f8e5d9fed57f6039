namespace Chat.Gateway.Admission;

/// <summary>What a ClientHello asks for, as far as it can be told before the handshake runs.</summary>
public enum HandshakeKind
{
    /// <summary>No session offered (or not parseable): the server does the full key exchange and signs.</summary>
    Full,

    /// <summary>
    /// A session offered (TLS 1.3 pre_shared_key, a TLS 1.2 ticket or session id): cheap if the server
    /// accepts it. The server may still refuse it and do a full handshake.
    /// </summary>
    Resumption,
}
