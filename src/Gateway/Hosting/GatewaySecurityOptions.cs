using Chat.Protocol.Multiplexing;
using Chat.Protocol.Security;

namespace Chat.Gateway.Hosting;

/// <summary>Key files (configuration section <c>Security</c>); both are read at start and must parse.</summary>
public sealed class GatewaySecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Key file of the account tier's token keys (every key verifies). Required (--token-keys).</summary>
    public string TokenKeyFile { get; set; } = "";

    /// <summary>Key file of the cluster key proven on mux connections (the first key signs). Required (--cluster-key).</summary>
    public string ClusterKeyFile { get; set; } = "";

    /// <summary>Null when both files load, else every problem on one line.</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        Check(errors, "Security:TokenKeyFile (--token-keys)", TokenKeyFile);
        Check(errors, "Security:ClusterKeyFile (--cluster-key)", ClusterKeyFile);
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    /// <summary>The cluster key file as the mux key ring (first key signs, every key verifies).</summary>
    public static MuxKeyRing ToMuxKeys(KeyRing keys) =>
        new(keys.SigningKey.Id, keys.Keys.ToDictionary(k => k.Id, k => k.Secret.ToArray(), StringComparer.Ordinal));

    private static void Check(List<string> errors, string name, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{name} is required");
        }
        else if (!KeyFile.TryLoad(path, out _, out var error))
        {
            errors.Add($"{name}: {error.Message}");
        }
    }
}
