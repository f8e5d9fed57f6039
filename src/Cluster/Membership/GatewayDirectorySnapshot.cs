using System.Collections.Immutable;

namespace Chat.Cluster.Membership;

/// <summary>
/// The gateways of /chat/gateways at one moment, sorted by id; immutable, replaced as a whole.
/// <see cref="Version"/> counts the snapshots this process built (it is not a ZooKeeper number).
/// </summary>
public sealed class GatewayDirectorySnapshot(long version, ImmutableArray<GatewayEntry> gateways)
{
    public static GatewayDirectorySnapshot Empty { get; } = new(0, []);

    public long Version { get; } = version;

    public ImmutableArray<GatewayEntry> Gateways { get; } = gateways;

    /// <summary>The entry of <paramref name="gatewayId"/>, or null.</summary>
    public GatewayEntry? Find(string gatewayId)
    {
        foreach (var entry in Gateways)
        {
            if (entry.Id == gatewayId)
            {
                return entry;
            }
        }

        return null;
    }
}
