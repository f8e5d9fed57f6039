namespace Chat.Cluster.ZooKeeper;

/// <summary>Path rules of ZooKeeper (<c>PathUtils.validatePath</c>) and the chroot mapping.</summary>
internal static class ZooKeeperPath
{
    /// <summary>Returns null when <paramref name="path"/> is a valid absolute node path, else why not.</summary>
    /// <param name="path">The path to check.</param>
    /// <param name="sequential">A sequential create may end in '/' (the server appends the counter).</param>
    public static string? Validate(string? path, bool sequential = false)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "path is empty";
        }

        if (path[0] != '/')
        {
            return "path must start with '/'";
        }

        if (path.Length == 1)
        {
            return null;
        }

        if (path[^1] == '/' && !sequential)
        {
            return "path must not end with '/'";
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length)
            {
                var c = path[i];
                if (c == '\0' || (c > '\u0000' && c <= '\u001f') || (c >= '\u007f' && c <= '\u009f')
                    || (c >= '\ud800' && c <= '\uf8ff') || (c >= '\ufff0' && c <= '\uffff'))
                {
                    return "path holds a character ZooKeeper refuses";
                }

                if (c != '/')
                {
                    continue;
                }
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            var last = i == path.Length;
            if (segment.IsEmpty && !(last && sequential))
            {
                return "path has an empty segment";
            }

            if (segment is "." or "..")
            {
                return "path has a relative segment";
            }

            segmentStart = i + 1;
        }

        return null;
    }

    /// <summary>The server-side path of a client path under <paramref name="chroot"/> ("" when none).</summary>
    public static string ToServer(string chroot, string path) =>
        chroot.Length == 0 ? path : path == "/" ? chroot : chroot + path;

    /// <summary>The client path of a server-side path, or the path itself when outside the chroot.</summary>
    public static string FromServer(string chroot, string serverPath)
    {
        if (chroot.Length == 0)
        {
            return serverPath;
        }

        if (serverPath == chroot)
        {
            return "/";
        }

        return serverPath.Length > chroot.Length
            && serverPath.StartsWith(chroot, StringComparison.Ordinal)
            && serverPath[chroot.Length] == '/'
                ? serverPath[chroot.Length..]
                : serverPath;
    }
}
