namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// Builds one <c>SSL_CTX</c> per certificate: TLS 1.2-1.3, ECDHE over X25519 and P-256, AEAD
/// suites only, the server's cipher order, no renegotiation, no compression, idle buffers released
/// (SSL_MODE_RELEASE_BUFFERS: ~16 KB instead of ~49 KB per idle connection, FACTS.md), no
/// server-side session cache (tickets carry the session, so any gateway can resume it).
/// </summary>
internal static unsafe class SslContextBuilder
{
    /// <summary>TLS 1.2 suites: forward secret AEAD only, ECDSA and RSA certificates. TLS 1.3 keeps OpenSSL's default three.</summary>
    private const string Tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" +
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

    /// <summary>Same on every context: OpenSSL refuses to resume a session whose context id differs, and SNI switches contexts.</summary>
    private static ReadOnlySpan<byte> SessionIdContext => "chat-gateway"u8;

    /// <summary>Returns the context, or null and one line saying which step failed.</summary>
    public static SafeSslContextHandle? Build(SslContextSettings settings, ReadOnlySpan<byte> leafDer, IReadOnlyList<byte[]> chainDer, ReadOnlySpan<byte> privateKeyDer, out string? error)
    {
        OpenSslErrors.Clear();
        SafeSslContextHandle? ctx = SafeSslContextHandle.Own(LibSsl.SSL_CTX_new(LibSsl.TLS_server_method()));
        if (ctx is null)
        {
            error = "SSL_CTX_new: " + OpenSslErrors.Take("failed");
            return null;
        }

        error = Configure(ctx, settings) ?? UseCertificate(ctx, leafDer, chainDer, privateKeyDer);
        if (error is not null)
        {
            ctx.Dispose();
            return null;
        }

        return ctx;
    }

    private static string? Configure(SafeSslContextHandle ctx, SslContextSettings settings)
    {
        if (LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlSetMinProtoVersion, settings.MinVersion, 0) != 1 ||
            LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlSetMaxProtoVersion, settings.MaxVersion, 0) != 1)
        {
            return "protocol versions: " + OpenSslErrors.Take("refused");
        }

        ulong options = OpenSslConstants.SslOpCipherServerPreference | OpenSslConstants.SslOpNoRenegotiation | OpenSslConstants.SslOpNoCompression;
        if (settings.TicketKeySourceId == 0)
        {
            options |= OpenSslConstants.SslOpNoTicket;
        }

        LibSsl.SSL_CTX_set_options(ctx, options);

        // SSL_CTRL_MODE returns the new mode bitmask, not 1 (FACTS.md).
        nint mode = OpenSslConstants.SslModeReleaseBuffers | OpenSslConstants.SslModeAcceptMovingWriteBuffer;
        if ((LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlMode, mode, 0) & mode) != mode)
        {
            return "SSL_CTRL_MODE: " + OpenSslErrors.Take("refused");
        }

        LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlSetSessionCacheMode, OpenSslConstants.SslSessionCacheOff, 0);
        fixed (byte* groups = "X25519:P-256\0"u8)
        {
            if (LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlSetGroupsList, 0, (nint)groups) != 1)
            {
                return "groups X25519:P-256: " + OpenSslErrors.Take("refused");
            }
        }

        if (LibSsl.SSL_CTX_set_cipher_list(ctx, Tls12Ciphers) != 1)
        {
            return "TLS 1.2 cipher list: " + OpenSslErrors.Take("refused");
        }

        fixed (byte* id = SessionIdContext)
        {
            LibSsl.SSL_CTX_set_session_id_context(ctx, id, (uint)SessionIdContext.Length);
        }

        if (settings.TicketKeySourceId != 0)
        {
            // One TLS 1.3 ticket per handshake instead of OpenSSL's two: each costs an encryption,
            // and a chat client reconnects one connection at a time.
            LibSsl.SSL_CTX_set_num_tickets(ctx, 1);
            TicketKeyCallback.Install(ctx, settings.TicketKeySourceId);
        }
        else
        {
            LibSsl.SSL_CTX_set_num_tickets(ctx, 0);
        }

        if (settings.ServerNameSelectorId != 0)
        {
            ServerNameCallback.Install(ctx, settings.ServerNameSelectorId);
        }

        return null;
    }

    private static string? UseCertificate(SafeSslContextHandle ctx, ReadOnlySpan<byte> leafDer, IReadOnlyList<byte[]> chainDer, ReadOnlySpan<byte> privateKeyDer)
    {
        nint leaf = ParseCertificate(leafDer);
        if (leaf == 0)
        {
            return "certificate: " + OpenSslErrors.Take("not DER");
        }

        // use_certificate and use_PrivateKey take references of their own: ours are freed below.
        int used = LibSsl.SSL_CTX_use_certificate(ctx, leaf);
        LibCrypto.X509_free(leaf);
        if (used != 1)
        {
            return "SSL_CTX_use_certificate: " + OpenSslErrors.Take("refused");
        }

        foreach (byte[] der in chainDer)
        {
            nint intermediate = ParseCertificate(der);
            if (intermediate == 0)
            {
                return "intermediate certificate: " + OpenSslErrors.Take("not DER");
            }

            // larg 0 = SSL_CTX_add0_chain_cert: the context takes our reference on success.
            if (LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlChainCert, 0, intermediate) != 1)
            {
                LibCrypto.X509_free(intermediate);
                return "SSL_CTX_add0_chain_cert: " + OpenSslErrors.Take("refused");
            }
        }

        nint key;
        fixed (byte* start = privateKeyDer)
        {
            byte* cursor = start;
            key = LibCrypto.d2i_AutoPrivateKey(0, &cursor, privateKeyDer.Length);
        }

        if (key == 0)
        {
            return "private key: " + OpenSslErrors.Take("not DER");
        }

        used = LibSsl.SSL_CTX_use_PrivateKey(ctx, key);
        LibCrypto.EVP_PKEY_free(key);
        if (used != 1 || LibSsl.SSL_CTX_check_private_key(ctx) != 1)
        {
            return "private key: " + OpenSslErrors.Take("does not match the certificate");
        }

        OpenSslErrors.Clear();
        return null;
    }

    private static nint ParseCertificate(ReadOnlySpan<byte> der)
    {
        fixed (byte* start = der)
        {
            byte* cursor = start;
            return LibCrypto.d2i_X509(0, &cursor, der.Length);
        }
    }
}
