using System.Collections.Immutable;
using System.Globalization;

namespace Chat.Cluster.ZooKeeper;

/// <summary>
/// A parsed connect string: "host:port,host:port[/chroot]" (port defaults to 2181, IPv6 as
/// "[::1]:2181"). The chroot is prefixed to every path sent and removed from every path received.
/// </summary>
internal sealed record ConnectString(ImmutableArray<(string Host, int Port)> Servers, string Chroot)
{
    public const int DefaultPort = 2181;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and one line saying why.</summary>
    public static ConnectString? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the connect string is empty";
            return null;
        }

        var chroot = string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var hosts = text;
        if (slash >= 0)
        {
            chroot = text[slash..];
            hosts = text[..slash];
            if (chroot == "/")
            {
                chroot = string.Empty;
            }
            else if (ZooKeeperPath.Validate(chroot) is { } why)
            {
                error = $"the chroot '{chroot}' is invalid: {why}";
                return null;
            }
        }

        var servers = ImmutableArray.CreateBuilder<(string, int)>();
        foreach (var part in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseServer(part) is { } server)
            {
                servers.Add(server);
            }
            else
            {
                error = $"'{part}' is not host[:port] with a port in 1-65535";
                return null;
            }
        }

        if (servers.Count == 0)
        {
            error = "the connect string names no server";
            return null;
        }

        return new ConnectString(servers.ToImmutable(), chroot);
    }

    private static (string, int)? ParseServer(string part)
    {
        string host;
        string? port = null;
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = part[1..close];
            var rest = part[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return null;
                }

                port = rest[1..];
            }
        }
        else
        {
            var colon = part.LastIndexOf(':');
            host = colon < 0 ? part : part[..colon];
            port = colon < 0 ? null : part[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                return null;
            }
        }

        if (host.Length == 0)
        {
            return null;
        }

        if (port is null)
        {
            return (host, DefaultPort);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65_535
            ? (host, value)
            : null;
    }
}
