namespace Chat.Gateway.Tls;

/// <summary>The TLS implementations a gateway can terminate client connections with.</summary>
public enum TlsEngineKind
{
    /// <summary>.NET <see cref="System.Net.Security.SslStream"/> driven from the DotNetty pipeline (OpenSSL underneath on Linux).</summary>
    SslStream = 0,

    /// <summary>
    /// The system libssl.so.3 called directly over memory BIOs on the event loop: released idle
    /// buffers, shared rotating ticket keys, SNI (src/Gateway/Tls/OpenSsl, docs/tls.md).
    /// </summary>
    OpenSsl = 1,
}
