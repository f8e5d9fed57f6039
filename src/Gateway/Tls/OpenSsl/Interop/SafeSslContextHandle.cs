using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// An <c>SSL_CTX*</c>. OpenSSL reference-counts contexts: every SSL made from one (or switched to
/// one by SNI) holds a reference, so releasing this handle while connections still use the context
/// is safe; the context goes when the last of them is freed.
/// </summary>
internal sealed class SafeSslContextHandle : SafeHandle
{
    private SafeSslContextHandle(nint handle)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
        NativeHandleCounts.ContextCreated();
    }

    public override bool IsInvalid => handle == 0;

    internal static SafeSslContextHandle? Own(nint ctx) => ctx == 0 ? null : new SafeSslContextHandle(ctx);

    protected override bool ReleaseHandle()
    {
        LibSsl.SSL_CTX_free(handle);
        NativeHandleCounts.ContextFreed();
        return true;
    }
}
