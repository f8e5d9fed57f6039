using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Chat.Gateway.Tls;

/// <summary>Reads certificate chain and key from PEM files; every expected failure is a result, not an exception.</summary>
internal static class TlsCertificateLoader
{
    /// <summary>PEM files larger than this are refused rather than read (a chain of a few certificates is ~10 KB).</summary>
    private const long MaxPemFileBytes = 1024 * 1024;

    /// <summary>Reads both files once; the hash and the certificate come from the same bytes.</summary>
    public static TlsCertificateLoadResult Load(string certificatePath, string? keyPath, long generation)
    {
        string? error = TryRead(certificatePath, "certificate", out string certificatePem);
        if (error is not null)
        {
            return new(null, error, null);
        }

        string keyPem = certificatePem;
        if (!string.IsNullOrEmpty(keyPath))
        {
            error = TryRead(keyPath, "key", out keyPem);
            if (error is not null)
            {
                return new(null, error, null);
            }
        }

        string hash = Hash(certificatePem, keyPem);
        try
        {
            return Parse(certificatePath, keyPath ?? certificatePath, certificatePem, keyPem, generation, hash);
        }
        catch (CryptographicException e)
        {
            // Malformed PEM, a key that does not match the certificate, an unsupported key format.
            return new(null, $"cannot load certificate '{certificatePath}' with key '{keyPath ?? certificatePath}': {e.Message}", hash);
        }
        catch (ArgumentException e)
        {
            // CreateFromPem reports "no certificate / no key found" as ArgumentException.
            return new(null, $"cannot load certificate '{certificatePath}' with key '{keyPath ?? certificatePath}': {e.Message}", hash);
        }
    }

    private static TlsCertificateLoadResult Parse(string certificatePath, string keyPath, string certificatePem, string keyPem, long generation, string hash)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(certificatePem);
        if (all.Count == 0)
        {
            return new(null, $"no CERTIFICATE block in '{certificatePath}'", hash);
        }

        // The first certificate of the file is the server's; the key is attached to it. On Linux
        // the ephemeral key of CreateFromPem works with SslStream as is (Windows would need a
        // PFX round trip; the gateway runs on Linux).
        X509Certificate2 leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        if (!leaf.HasPrivateKey)
        {
            leaf.Dispose();
            return new(null, $"no private key for the certificate in '{keyPath}'", hash);
        }

        string? keyAlgorithm = DescribeKey(leaf);
        if (keyAlgorithm is null)
        {
            leaf.Dispose();
            return new(null, $"certificate '{certificatePath}' has a key that is neither ECDSA nor RSA", hash);
        }

        var intermediates = new X509Certificate2Collection();
        all[0].Dispose();
        for (int i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        var info = new TlsCertificateInfo(
            generation,
            leaf.GetCertHashString(HashAlgorithmName.SHA256),
            leaf.Subject,
            new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            keyAlgorithm);
        return new(new TlsCertificate(leaf, intermediates, hash, info), null, hash);
    }

    private static string? DescribeKey(X509Certificate2 certificate)
    {
        using (ECDsa? ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                string curve = ecdsa.KeySize switch { 256 => "P-256", 384 => "P-384", 521 => "P-521", int bits => bits + "-bit curve" };
                return "ECDSA " + curve;
            }
        }

        using (RSA? rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return "RSA-" + rsa.KeySize;
            }
        }

        return null;
    }

    private static string? TryRead(string path, string what, out string text)
    {
        text = "";
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return $"{what} file '{path}' does not exist";
            }

            if (file.Length > MaxPemFileBytes)
            {
                return $"{what} file '{path}' is {file.Length} bytes, more than the {MaxPemFileBytes} a PEM file may have";
            }

            text = File.ReadAllText(path, Encoding.ASCII);
            return null;
        }
        catch (IOException e)
        {
            return $"cannot read {what} file '{path}': {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot read {what} file '{path}': {e.Message}";
        }
    }

    private static string Hash(string certificatePem, string keyPem)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes(certificatePem));
        sha.AppendData([0]);
        sha.AppendData(Encoding.ASCII.GetBytes(keyPem));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
