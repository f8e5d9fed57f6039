using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// libssl.so.3 (OpenSSL 3.0, the library .NET itself loads on this platform). Only real exported
/// functions are declared: the many API names that are macros over <c>SSL_CTX_ctrl</c> are spelled
/// out in <see cref="SslContextBuilder"/> with the constants of <see cref="OpenSslConstants"/>,
/// checked against /usr/include/openssl 3.0. C <c>long</c> is 64-bit on Linux x64: <c>nint</c>.
/// </summary>
internal static unsafe partial class LibSsl
{
    private const string Library = "libssl.so.3";

    [LibraryImport(Library)]
    internal static partial nint TLS_server_method();

    [LibraryImport(Library)]
    internal static partial nint SSL_CTX_new(nint method);

    [LibraryImport(Library)]
    internal static partial void SSL_CTX_free(nint ctx);

    [LibraryImport(Library)]
    internal static partial nint SSL_CTX_ctrl(SafeSslContextHandle ctx, int cmd, nint larg, nint parg);

    [LibraryImport(Library)]
    internal static partial nint SSL_CTX_callback_ctrl(SafeSslContextHandle ctx, int cmd, nint callback);

    [LibraryImport(Library)]
    internal static partial ulong SSL_CTX_set_options(SafeSslContextHandle ctx, ulong options);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SSL_CTX_set_cipher_list(SafeSslContextHandle ctx, string ciphers);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_set_num_tickets(SafeSslContextHandle ctx, nuint count);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_set_session_id_context(SafeSslContextHandle ctx, byte* context, uint length);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_use_certificate(SafeSslContextHandle ctx, nint x509);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_use_PrivateKey(SafeSslContextHandle ctx, nint pkey);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_check_private_key(SafeSslContextHandle ctx);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_set_ex_data(SafeSslContextHandle ctx, int index, nint data);

    [LibraryImport(Library)]
    internal static partial nint SSL_CTX_get_ex_data(nint ctx, int index);

    [LibraryImport(Library)]
    internal static partial int SSL_CTX_set_tlsext_ticket_key_evp_cb(
        SafeSslContextHandle ctx,
        delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint, nint, int, int> callback);

    [LibraryImport(Library)]
    internal static partial nint SSL_new(SafeSslContextHandle ctx);

    [LibraryImport(Library)]
    internal static partial void SSL_free(nint ssl);

    [LibraryImport(Library)]
    internal static partial void SSL_set_bio(SafeSslHandle ssl, nint readBio, nint writeBio);

    [LibraryImport(Library)]
    internal static partial void SSL_set0_rbio(SafeSslHandle ssl, nint readBio);

    [LibraryImport(Library)]
    internal static partial void SSL_set0_wbio(SafeSslHandle ssl, nint writeBio);

    [LibraryImport(Library)]
    internal static partial void SSL_set_accept_state(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial int SSL_do_handshake(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial int SSL_read(SafeSslHandle ssl, byte* buffer, int count);

    [LibraryImport(Library)]
    internal static partial int SSL_write(SafeSslHandle ssl, byte* buffer, int count);

    [LibraryImport(Library)]
    internal static partial int SSL_shutdown(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial int SSL_get_error(SafeSslHandle ssl, int result);

    [LibraryImport(Library)]
    internal static partial int SSL_version(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial int SSL_session_reused(SafeSslHandle ssl);

    /// <summary>SSL_version on the raw pointer a callback receives (the connection is owned elsewhere).</summary>
    [LibraryImport(Library, EntryPoint = "SSL_version")]
    internal static partial int SSL_version_of(nint ssl);

    [LibraryImport(Library)]
    internal static partial int SSL_pending(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial nint SSL_get_current_cipher(SafeSslHandle ssl);

    [LibraryImport(Library)]
    internal static partial ushort SSL_CIPHER_get_protocol_id(nint cipher);

    [LibraryImport(Library)]
    internal static partial nint SSL_get_servername(nint ssl, int type);

    [LibraryImport(Library)]
    internal static partial nint SSL_set_SSL_CTX(nint ssl, nint ctx);

    [LibraryImport(Library)]
    internal static partial nint SSL_get_SSL_CTX(nint ssl);
}
