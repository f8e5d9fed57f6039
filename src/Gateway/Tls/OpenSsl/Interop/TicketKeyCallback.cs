using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// SSL_CTX_set_tlsext_ticket_key_evp_cb: encrypts tickets with the key file's first key and
/// decrypts those of every key in it, which SSL_CTRL_SET_TLSEXT_TICKET_KEYS (one key only) cannot.
/// Runs inside SSL_do_handshake on the event loop; no exception may cross back into OpenSSL.
/// </summary>
internal static unsafe class TicketKeyCallback
{
    public static void Install(SafeSslContextHandle ctx, nint sourceId)
    {
        // The id is read back in the callback from the context's app data (ex_data index 0).
        LibSsl.SSL_CTX_set_ex_data(ctx, OpenSslConstants.AppDataIndex, sourceId);
        LibSsl.SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, &Handle);
    }

    /// <returns>
    /// Encrypting: 1 ticket set up, 0 no ticket. Decrypting: 1 accepted, 2 accepted and renew,
    /// 0 unknown key (full handshake). -1 (fatal) is never returned: a ticket problem must cost a
    /// full handshake, never the connection.
    /// </returns>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Handle(nint ssl, byte* keyName, byte* iv, nint cipherCtx, nint macCtx, int encrypt)
    {
        ITicketKeySource? source = null;
        try
        {
            nint id = LibSsl.SSL_CTX_get_ex_data(LibSsl.SSL_get_SSL_CTX(ssl), OpenSslConstants.AppDataIndex);
            source = CallbackTargets.Find<ITicketKeySource>(id);
            if (source is null)
            {
                return 0;
            }

            return encrypt == 1 ? Encrypt(source, keyName, iv, cipherCtx, macCtx) : Decrypt(ssl, source, keyName, iv, cipherCtx, macCtx);
        }
#pragma warning disable CA1031 // Nothing may unwind into native code: any failure becomes "no ticket".
        catch (Exception)
#pragma warning restore CA1031
        {
            source?.Count(TicketOutcome.Failed);
            return 0;
        }
    }

    private static int Encrypt(ITicketKeySource source, byte* keyName, byte* iv, nint cipherCtx, nint macCtx)
    {
        TicketKey? key = source.EncryptionKey;
        if (key is null)
        {
            return 0;
        }

        key.Name.AsSpan().CopyTo(new Span<byte>(keyName, OpenSslConstants.TicketKeyNameBytes));
        bool ok = LibCrypto.RAND_bytes(iv, OpenSslConstants.TicketIvBytes) == 1;
        fixed (byte* aes = key.AesKey)
        {
            ok = ok && LibCrypto.EVP_EncryptInit_ex(cipherCtx, LibCrypto.EVP_aes_256_cbc(), 0, aes, iv) == 1;
        }

        ok = ok && SetHmacKey(macCtx, key);
        source.Count(ok ? TicketOutcome.Issued : TicketOutcome.Failed);
        return ok ? 1 : 0;
    }

    private static int Decrypt(nint ssl, ITicketKeySource source, byte* keyName, byte* iv, nint cipherCtx, nint macCtx)
    {
        TicketKey? key = source.Find(new ReadOnlySpan<byte>(keyName, OpenSslConstants.TicketKeyNameBytes), out bool isEncryptionKey);
        if (key is null)
        {
            source.Count(TicketOutcome.UnknownKey);
            return 0;
        }

        bool ok;
        fixed (byte* aes = key.AesKey)
        {
            ok = LibCrypto.EVP_DecryptInit_ex(cipherCtx, LibCrypto.EVP_aes_256_cbc(), 0, aes, iv) == 1;
        }

        ok = ok && SetHmacKey(macCtx, key);
        if (!ok)
        {
            source.Count(TicketOutcome.Failed);
            return 0;
        }

        // TLS 1.3: renew even under the current key. Clients use a ticket once (RFC 8446 C.4) and
        // OpenSSL sends no new ticket after a resumption unless asked, so every other reconnect
        // would be a full handshake. TLS 1.2: renew only tickets under an older key; a TLS 1.2
        // client (.NET's, measured) that gets a new ticket in an abbreviated handshake keeps
        // neither, which halved its resumption rate.
        source.Count(isEncryptionKey ? TicketOutcome.Accepted : TicketOutcome.AcceptedOldKey);
        return !isEncryptionKey || LibSsl.SSL_version_of(ssl) == OpenSslConstants.Tls13Version ? 2 : 1;
    }

    /// <summary>HMAC-SHA256 with the key's HMAC secret (OSSL_MAC_PARAM_DIGEST "digest", OSSL_MAC_PARAM_KEY "key").</summary>
    private static bool SetHmacKey(nint macCtx, TicketKey key)
    {
        OsslParam* parameters = stackalloc OsslParam[3];
        fixed (byte* digestName = "digest\0"u8)
        fixed (byte* sha256 = "SHA256\0"u8)
        fixed (byte* keyName = "key\0"u8)
        fixed (byte* hmac = key.HmacKey)
        {
            parameters[0] = OsslParam.Create(digestName, OsslParam.Utf8String, sha256, 6);
            parameters[1] = OsslParam.Create(keyName, OsslParam.OctetString, hmac, (nuint)key.HmacKey.Length);
            parameters[2] = default;
            return LibCrypto.EVP_MAC_CTX_set_params(macCtx, parameters) == 1;
        }
    }
}
