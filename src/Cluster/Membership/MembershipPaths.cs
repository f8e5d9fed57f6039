namespace Chat.Cluster.Membership;

/// <summary>
/// The ZooKeeper layout (docs/ARCHITECTURE.md, Membership):
/// <code>
/// {root}/shards/{shardId}      ephemeral  {"host","muxPort","directPort","adminPort"}   shard is alive
/// {root}/ring/{shardId}        ephemeral  {"weight"}                                     shard takes couples
/// {root}/gateways/{gatewayId}  ephemeral  {"host","port","adminUrl","connections","cpu","weight","draining"}
/// </code>
/// </summary>
internal static class MembershipPaths
{
    public static string Shards(string root) => Join(root, "shards");

    public static string Ring(string root) => Join(root, "ring");

    public static string Gateways(string root) => Join(root, "gateways");

    public static string Shard(string root, string shardId) => Shards(root) + "/" + shardId;

    public static string RingMember(string root, string shardId) => Ring(root) + "/" + shardId;

    public static string Gateway(string root, string gatewayId) => Gateways(root) + "/" + gatewayId;

    /// <summary>The persistent nodes every process creates if missing, parents first.</summary>
    public static IEnumerable<string> Parents(string root)
    {
        var current = string.Empty;
        foreach (var part in root.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            yield return current;
        }

        yield return Shards(root);
        yield return Ring(root);
        yield return Gateways(root);
    }

    private static string Join(string root, string child) => root == "/" ? "/" + child : root + "/" + child;
}
