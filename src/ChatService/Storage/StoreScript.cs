using System.Security.Cryptography;
using System.Text;

namespace Chat.ChatService.Storage;

/// <summary>
/// A Lua script with its SHA1, computed once: the store sends EVALSHA (40 bytes instead of the
/// whole text) and falls back to EVAL, which also caches the script, when a server answers NOSCRIPT
/// (a restarted Redis, a new cluster node, SCRIPT FLUSH).
/// </summary>
internal sealed class StoreScript
{
    public StoreScript(string name, string text)
    {
        Name = name;
        Text = text;
#pragma warning disable CA5350 // SHA1 is how Redis names scripts (EVALSHA), not a security measure.
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
    }

    public string Name { get; }

    public string Text { get; }

    /// <summary>The raw 20-byte SHA1 that EVALSHA names the script by.</summary>
    public byte[] Sha1 { get; }
}
