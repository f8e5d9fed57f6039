namespace Chat.Gateway.Tls;

/// <summary>The TLS implementations a gateway can terminate client connections with.</summary>
public enum TlsEngineKind
{
    /// <summary>.NET <see cref="System.Net.Security.SslStream"/> driven from the DotNetty pipeline (OpenSSL underneath on Linux).</summary>
    SslStream = 0,
}
