namespace Chat.Cluster.Membership;

/// <summary>Rules for shard and gateway ids: the same as the ring's (1-64 of [A-Za-z0-9_.-]), so an id is always a valid node name.</summary>
internal static class MembershipIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length is 0 or > MaxLength || id is "." or "..")
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Null when <paramref name="root"/> is a usable membership root ("/chat", "/prod/chat"), else why not.</summary>
    public static string? CheckRoot(string? root) =>
        root is null ? "is empty"
        : root == "/" ? null
        : Chat.Cluster.ZooKeeper.ZooKeeperPath.Validate(root) is { } why ? why
        : null;
}
