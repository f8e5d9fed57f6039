namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// One server-side TLS connection: an <c>SSL</c> between two memory BIOs. Ciphertext from the
/// socket goes in with <see cref="AddInput"/>; ciphertext to send comes out with
/// <see cref="TakeOutput"/> after every call (handshake flights, records, tickets, alerts). Not
/// thread-safe: one event loop drives it. Every call clears the thread's OpenSSL error queue before
/// and reads it right after.
/// </summary>
internal sealed unsafe class SslConnection : IDisposable
{
    private readonly SafeSslHandle _ssl;
    private nint _input;
    private nint _output;

    private SslConnection(SafeSslHandle ssl, nint input, nint output)
    {
        _ssl = ssl;
        _input = input;
        _output = output;
    }

    /// <summary>Why the last call failed; null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>Ciphertext received and not yet consumed by OpenSSL.</summary>
    public int PendingInput => _ssl.IsClosed ? 0 : (int)LibCrypto.BIO_ctrl_pending(_input);

    /// <summary>Ciphertext produced and not yet taken.</summary>
    public int PendingOutput => _ssl.IsClosed ? 0 : (int)LibCrypto.BIO_ctrl_pending(_output);

    /// <summary>Decrypted bytes OpenSSL holds from a record already processed.</summary>
    public int PendingPlaintext => _ssl.IsClosed ? 0 : LibSsl.SSL_pending(_ssl);

    /// <summary>The negotiated version (TLS1_2_VERSION, TLS1_3_VERSION) once the handshake is done.</summary>
    public int Version => LibSsl.SSL_version(_ssl);

    public bool SessionReused => LibSsl.SSL_session_reused(_ssl) == 1;

    /// <summary>IANA id of the negotiated cipher suite; 0 before the handshake.</summary>
    public ushort CipherSuite
    {
        get
        {
            nint cipher = LibSsl.SSL_get_current_cipher(_ssl);
            return cipher == 0 ? (ushort)0 : LibSsl.SSL_CIPHER_get_protocol_id(cipher);
        }
    }

    public static SslConnection? Create(SafeSslContextHandle ctx, out string? error)
    {
        if (ctx.IsClosed)
        {
            // The engine was disposed (shutdown) after this connection's handler was created.
            error = "the TLS context was released";
            return null;
        }

        OpenSslErrors.Clear();
        SafeSslHandle? ssl = SafeSslHandle.Own(LibSsl.SSL_new(ctx));
        if (ssl is null)
        {
            error = "SSL_new: " + OpenSslErrors.Take("failed");
            return null;
        }

        nint input = NewMemoryBio();
        nint output = NewMemoryBio();
        if (input == 0 || output == 0)
        {
            FreeBio(input);
            FreeBio(output);
            ssl.Dispose();
            error = "BIO_new: " + OpenSslErrors.Take("out of memory");
            return null;
        }

        // From here the SSL owns both BIOs: SSL_free frees them.
        LibSsl.SSL_set_bio(ssl, input, output);
        LibSsl.SSL_set_accept_state(ssl);
        error = null;
        return new SslConnection(ssl, input, output);
    }

    /// <summary>Queues ciphertext from the socket. Memory BIOs take everything (they grow).</summary>
    public bool AddInput(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty)
        {
            return true;
        }

        fixed (byte* data = ciphertext)
        {
            OpenSslErrors.Clear();
            int written = LibCrypto.BIO_write(_input, data, ciphertext.Length);
            if (written != ciphertext.Length)
            {
                LastError = "BIO_write: " + OpenSslErrors.Take("out of memory");
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves up to <paramref name="destination"/>.Length bytes of pending ciphertext out; returns the count.</summary>
    public int TakeOutput(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        fixed (byte* data = destination)
        {
            int read = LibCrypto.BIO_read(_output, data, destination.Length);
            return Math.Max(read, 0);
        }
    }

    public SslStatus Handshake()
    {
        OpenSslErrors.Clear();
        int result = LibSsl.SSL_do_handshake(_ssl);
        return result == 1 ? Succeeded() : Status(result, "handshake");
    }

    /// <summary>Decrypts into <paramref name="destination"/>; <paramref name="read"/> bytes on <see cref="SslStatus.Ok"/>.</summary>
    public SslStatus Read(Span<byte> destination, out int read)
    {
        fixed (byte* data = destination)
        {
            OpenSslErrors.Clear();
            int result = LibSsl.SSL_read(_ssl, data, destination.Length);
            read = Math.Max(result, 0);
            return result > 0 ? Succeeded() : Status(result, "read");
        }
    }

    /// <summary>Encrypts all of <paramref name="source"/> (several records if needed: memory BIOs never refuse a write).</summary>
    public SslStatus Write(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return SslStatus.Ok;
        }

        fixed (byte* data = source)
        {
            OpenSslErrors.Clear();
            int result = LibSsl.SSL_write(_ssl, data, source.Length);
            return result == source.Length ? Succeeded() : Status(result, "write");
        }
    }

    /// <summary>Queues close_notify (the first half of SSL_shutdown; the peer's answer is not awaited).</summary>
    public SslStatus Shutdown()
    {
        OpenSslErrors.Clear();
        int result = LibSsl.SSL_shutdown(_ssl);
        return result >= 0 ? Succeeded() : Status(result, "shutdown");
    }

    /// <summary>
    /// Swaps in fresh memory BIOs when both are empty: a BIO's buffer only grows, so one burst would
    /// otherwise stay allocated for the life of an idle connection (~1.4 KB after a handshake, FACTS.md).
    /// </summary>
    public void RecycleBuffers()
    {
        if (PendingInput != 0 || PendingOutput != 0)
        {
            return;
        }

        nint input = NewMemoryBio();
        nint output = NewMemoryBio();
        if (input == 0 || output == 0)
        {
            FreeBio(input);
            FreeBio(output);
            OpenSslErrors.Clear();
            return;
        }

        // set0 frees the BIO it replaces.
        LibSsl.SSL_set0_rbio(_ssl, input);
        LibSsl.SSL_set0_wbio(_ssl, output);
        _input = input;
        _output = output;
    }

    public void Dispose() => _ssl.Dispose();

    private SslStatus Succeeded()
    {
        LastError = null;
        return SslStatus.Ok;
    }

    private SslStatus Status(int result, string what)
    {
        int error = LibSsl.SSL_get_error(_ssl, result);
        switch (error)
        {
            case OpenSslConstants.SslErrorWantRead:
                OpenSslErrors.Clear();
                return SslStatus.WantRead;
            case OpenSslConstants.SslErrorZeroReturn:
                OpenSslErrors.Clear();
                return SslStatus.Closed;
            default:
                LastError = what + ": " + OpenSslErrors.Take(error == OpenSslConstants.SslErrorSyscall ? "unexpected end of input" : "error " + error);
                return SslStatus.Failed;
        }
    }

    private static nint NewMemoryBio() => LibCrypto.BIO_new(LibCrypto.BIO_s_mem());

    private static void FreeBio(nint bio)
    {
        if (bio != 0)
        {
            // BIO_free fails only for a null BIO, excluded here.
            _ = LibCrypto.BIO_free(bio);
        }
    }
}
