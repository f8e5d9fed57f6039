namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>Result of one call on an <see cref="SslConnection"/>.</summary>
internal enum SslStatus
{
    /// <summary>Done (handshake finished, bytes read or written, shutdown complete).</summary>
    Ok,

    /// <summary>More input is needed; whatever output was produced must be sent first.</summary>
    WantRead,

    /// <summary>The peer sent close_notify.</summary>
    Closed,

    /// <summary>Protocol error, bad record, refused handshake: <see cref="SslConnection.LastError"/> says which.</summary>
    Failed,
}
