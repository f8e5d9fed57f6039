namespace Chat.Gateway.Tls;

/// <summary>How a TLS handshake ended.</summary>
public enum TlsHandshakeOutcome
{
    /// <summary>Keys agreed; application data flows.</summary>
    Succeeded = 0,

    /// <summary>Bad or unsupported ClientHello, wrong protocol, a peer that went away mid-handshake.</summary>
    Failed = 1,

    /// <summary>Not finished within <see cref="TlsOptions.HandshakeTimeout"/>; the connection was closed.</summary>
    TimedOut = 2,
}
