using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>libcrypto.so.3: memory BIOs, the error queue, DER parsing, and what the ticket callback needs.</summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary>OPENSSL_VERSION = 0 (crypto.h): "OpenSSL 3.0.x ...".</summary>
    [LibraryImport(Library)]
    internal static partial nint OpenSSL_version(int type);

    [LibraryImport(Library)]
    internal static partial nint BIO_s_mem();

    [LibraryImport(Library)]
    internal static partial nint BIO_new(nint method);

    [LibraryImport(Library)]
    internal static partial int BIO_free(nint bio);

    [LibraryImport(Library)]
    internal static partial int BIO_write(nint bio, byte* data, int count);

    [LibraryImport(Library)]
    internal static partial int BIO_read(nint bio, byte* data, int count);

    [LibraryImport(Library)]
    internal static partial nuint BIO_ctrl_pending(nint bio);

    [LibraryImport(Library)]
    internal static partial ulong ERR_get_error();

    [LibraryImport(Library)]
    internal static partial void ERR_clear_error();

    [LibraryImport(Library)]
    internal static partial void ERR_error_string_n(ulong error, byte* buffer, nuint length);

    [LibraryImport(Library)]
    internal static partial nint d2i_X509(nint reuse, byte** data, nint length);

    [LibraryImport(Library)]
    internal static partial void X509_free(nint x509);

    [LibraryImport(Library)]
    internal static partial nint d2i_AutoPrivateKey(nint reuse, byte** data, nint length);

    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(Library)]
    internal static partial int RAND_bytes(byte* buffer, int count);

    [LibraryImport(Library)]
    internal static partial nint EVP_aes_256_cbc();

    [LibraryImport(Library)]
    internal static partial int EVP_EncryptInit_ex(nint ctx, nint cipher, nint engine, byte* key, byte* iv);

    [LibraryImport(Library)]
    internal static partial int EVP_DecryptInit_ex(nint ctx, nint cipher, nint engine, byte* key, byte* iv);

    [LibraryImport(Library)]
    internal static partial int EVP_MAC_CTX_set_params(nint ctx, OsslParam* parameters);
}
