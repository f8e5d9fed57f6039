using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// An <c>SSL*</c>. Freeing it also frees its two memory BIOs (SSL_set_bio hands their ownership to
/// the SSL), so the BIOs get no handle of their own: that would free them twice.
/// </summary>
internal sealed class SafeSslHandle : SafeHandle
{
    private SafeSslHandle(nint handle)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
        NativeHandleCounts.ConnectionCreated();
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Wraps the result of SSL_new; null when it failed.</summary>
    internal static SafeSslHandle? Own(nint ssl) => ssl == 0 ? null : new SafeSslHandle(ssl);

    protected override bool ReleaseHandle()
    {
        LibSsl.SSL_free(handle);
        NativeHandleCounts.ConnectionFreed();
        return true;
    }
}
