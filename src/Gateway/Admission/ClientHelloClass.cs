namespace Chat.Gateway.Admission;

/// <summary>What <see cref="ClientHelloClassifier"/> made of a connection's first bytes.</summary>
internal enum ClientHelloClass
{
    /// <summary>The first TLS record is not complete yet: wait for more bytes.</summary>
    Incomplete,

    /// <summary>A ClientHello offering no session: a full handshake.</summary>
    Full,

    /// <summary>A ClientHello offering a session to resume.</summary>
    Resumption,

    /// <summary>
    /// Not a well-formed ClientHello: the TLS engine rejects it after a cheap parse, so it costs no
    /// handshake token.
    /// </summary>
    NotAClientHello,
}
