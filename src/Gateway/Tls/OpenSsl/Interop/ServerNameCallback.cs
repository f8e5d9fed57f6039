using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// The TLS servername callback (SNI): switches the connection to the context of the certificate
/// for the requested name. Installed only when more than one certificate is configured.
/// </summary>
internal static unsafe class ServerNameCallback
{
    public static void Install(SafeSslContextHandle ctx, nint selectorId)
    {
        LibSsl.SSL_CTX_callback_ctrl(ctx, OpenSslConstants.SslCtrlSetTlsextServernameCallback, (nint)(delegate* unmanaged[Cdecl]<nint, int*, nint, int>)&Select);
        LibSsl.SSL_CTX_ctrl(ctx, OpenSslConstants.SslCtrlSetTlsextServernameArg, 0, selectorId);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Select(nint ssl, int* alert, nint selectorId)
    {
        try
        {
            IServerNameSelector? selector = CallbackTargets.Find<IServerNameSelector>(selectorId);
            nint name = LibSsl.SSL_get_servername(ssl, OpenSslConstants.TlsextNametypeHostName);
            if (selector is null || name == 0)
            {
                return OpenSslConstants.SslTlsextErrOk;
            }

            // Host names are ASCII (RFC 6066 3); a bad one simply matches nothing.
            SafeSslContextHandle? ctx = selector.Select(Marshal.PtrToStringUTF8(name) ?? "");
            if (ctx is null)
            {
                return OpenSslConstants.SslTlsextErrOk;
            }

            bool added = false;
            try
            {
                // The reference keeps a concurrently reloaded (released) context alive for the
                // switch; SSL_set_SSL_CTX then holds its own native reference.
                ctx.DangerousAddRef(ref added);
                LibSsl.SSL_set_SSL_CTX(ssl, ctx.DangerousGetHandle());
            }
            finally
            {
                if (added)
                {
                    ctx.DangerousRelease();
                }
            }

            return OpenSslConstants.SslTlsextErrOk;
        }
#pragma warning disable CA1031 // Nothing may unwind into native code; ObjectDisposedException from a disposed engine lands here.
        catch (Exception)
#pragma warning restore CA1031
        {
            return OpenSslConstants.SslTlsextErrOk;
        }
    }
}
