using Chat.Gateway.Tls.OpenSsl.Interop;

namespace Chat.Gateway.Tls.OpenSsl;

/// <summary>One certificate generation as an SSL_CTX, with what logs and tests show of it.</summary>
internal sealed record OpenSslContext(SafeSslContextHandle Handle, TlsCertificateInfo Info);
