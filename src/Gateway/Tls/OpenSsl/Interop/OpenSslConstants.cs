namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>Constants of OpenSSL 3.0, each checked against the named header in /usr/include/openssl.</summary>
internal static class OpenSslConstants
{
    // ssl.h: SSL_CTX_ctrl commands.
    public const int SslCtrlMode = 33;
    public const int SslCtrlSetSessionCacheMode = 44;
    public const int SslCtrlSetTlsextServernameCallback = 53;
    public const int SslCtrlSetTlsextServernameArg = 54;
    public const int SslCtrlChainCert = 89;
    public const int SslCtrlSetGroupsList = 92;
    public const int SslCtrlSetMinProtoVersion = 123;
    public const int SslCtrlSetMaxProtoVersion = 124;

    // ssl.h: modes.
    public const nint SslModeAcceptMovingWriteBuffer = 0x2;
    public const nint SslModeReleaseBuffers = 0x10;

    // ssl.h: SSL_SESS_CACHE_OFF.
    public const nint SslSessionCacheOff = 0;

    // ssl.h: options, SSL_OP_BIT(n).
    public const ulong SslOpNoTicket = 1UL << 14;
    public const ulong SslOpNoCompression = 1UL << 17;
    public const ulong SslOpCipherServerPreference = 1UL << 22;
    public const ulong SslOpNoRenegotiation = 1UL << 30;

    // prov_ssl.h.
    public const int Tls12Version = 0x0303;
    public const int Tls13Version = 0x0304;

    // ssl.h: SSL_get_error results.
    public const int SslErrorNone = 0;
    public const int SslErrorSsl = 1;
    public const int SslErrorWantRead = 2;
    public const int SslErrorWantWrite = 3;
    public const int SslErrorSyscall = 5;
    public const int SslErrorZeroReturn = 6;

    // tls1.h.
    public const int TlsextNametypeHostName = 0;
    public const int SslTlsextErrOk = 0;
    public const int SslTlsextErrAlertFatal = 2;
    public const int SslTlsextErrNoAck = 3;

    /// <summary>ssl.h: SSL_CTX_set_app_data uses ex_data index 0, allocated by OpenSSL itself.</summary>
    public const int AppDataIndex = 0;

    /// <summary>tls1.h: the key name in a ticket is 16 bytes.</summary>
    public const int TicketKeyNameBytes = 16;

    /// <summary>evp.h: EVP_MAX_IV_LENGTH; AES-256-CBC uses all 16.</summary>
    public const int TicketIvBytes = 16;
}
