using System.Text;

namespace Chat.Gateway.Tls.OpenSsl.Interop;

/// <summary>
/// The per-thread OpenSSL error queue. Every call that can fail is made as: clear, call, read
/// right away on the same thread (no await in between; FACTS.md), so an error never leaks into the
/// next connection served by this event loop.
/// </summary>
internal static unsafe class OpenSslErrors
{
    public static void Clear() => LibCrypto.ERR_clear_error();

    /// <summary>The first queued error as OpenSSL's text (e.g. "error:0A00010B:SSL routines::wrong version number"), then clears the queue.</summary>
    public static string Take(string fallback)
    {
        ulong code = LibCrypto.ERR_get_error();
        string text = fallback;
        if (code != 0)
        {
            byte* buffer = stackalloc byte[256];
            LibCrypto.ERR_error_string_n(code, buffer, 256);
            var written = new ReadOnlySpan<byte>(buffer, 256);
            int end = written.IndexOf((byte)0);
            text = Encoding.ASCII.GetString(end < 0 ? written : written[..end]);
        }

        LibCrypto.ERR_clear_error();
        return text;
    }
}
