namespace Chat.Tests.Gateway.Tls;

/// <summary>Ticket key files for tests: keys made from a seed, so a test names them k1, k2 ... and writes any order.</summary>
public static class TicketKeyFiles
{
    /// <summary>The base64 line of key number <paramref name="seed"/> (80 bytes: name, HMAC key, AES key).</summary>
    public static string Key(int seed)
    {
        var material = new byte[80];
        new Random(seed).NextBytes(material);
        return Convert.ToBase64String(material);
    }

    /// <summary>Writes the keys (first encrypts) atomically, with a comment line as operators would.</summary>
    public static void Write(string path, params int[] seeds) =>
        TestCertificates.WriteAtomically(path, "# chat gateway ticket keys: first encrypts\n" + string.Join("\n", seeds.Select(Key)) + "\n");
}
