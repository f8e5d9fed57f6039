using System.Runtime.InteropServices;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>The version of the libcrypto actually loaded, for the start-up log line.</summary>
internal static class OpenSslVersion
{
    public static string Text => Marshal.PtrToStringUTF8(LibCrypto.OpenSSL_version(0)) ?? "unknown";
}
