using System.CommandLine;
using System.Globalization;
using Chat.Cluster.Membership;
using Chat.Cluster.Routing;
using Chat.Cluster.ZooKeeper;

namespace Chat.Ctl;

/// <summary>
/// <c>chatctl ring show</c> (epoch, members, weights, share of the hash space) and
/// <c>chatctl ring owner &lt;coupleId&gt;</c>, read live from ZooKeeper with the same code the
/// gateways and shards use, so the answer is theirs at that epoch.
/// </summary>
internal static class RingCommands
{
    /// <summary>Exit code when ZooKeeper could not be read in time or there is no ring to answer from.</summary>
    public const int Unavailable = 3;

    public static Command Create()
    {
        var zk = new Option<string>("--zk")
        {
            Description = "ZooKeeper connect string (host:port,...[/chroot]); default $CHAT_ZK or 127.0.0.1:2181",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHAT_ZK") is { Length: > 0 } env ? env : "127.0.0.1:2181",
        };
        var root = new Option<string>("--root")
        {
            Description = "Membership root in ZooKeeper",
            DefaultValueFactory = _ => "/chat",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for ZooKeeper",
            DefaultValueFactory = _ => 10,
        };

        var show = new Command("show", "Print the ring epoch, its members, their weights and share of the hash space") { zk, root, timeout };
        show.SetAction((result, cancellationToken) => RunAsync(result, zk, root, timeout, (ring, output) => Show(ring, output), cancellationToken));

        var couple = new Argument<string>("coupleId") { Description = "The couple to look up" };
        var owner = new Command("owner", "Print the shard that owns a couple at the current epoch") { couple, zk, root, timeout };
        owner.SetAction((result, cancellationToken) =>
            RunAsync(result, zk, root, timeout, (ring, output) => Owner(ring, result.GetValue(couple)!, output), cancellationToken));

        return new Command("ring", "Inspect the consistent-hash ring of chat shards") { show, owner };
    }

    /// <summary>Writes the ring as a table; returns the exit code.</summary>
    public static int Show(RingSnapshot ring, TextWriter output)
    {
        if (ring.Epoch < 0)
        {
            output.WriteLine("no ring: the ring node does not exist (wrong --root, or no shard ever started)");
            return Unavailable;
        }

        var shares = ring.HashSpaceShares();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {ring.Epoch}, {ring.Members.Length} member(s)"));
        if (ring.Members.IsEmpty)
        {
            return 0;
        }

        var idWidth = Math.Max("shard".Length, ring.Members.Max(m => m.ShardId.Length));
        var addressWidth = Math.Max("address".Length, ring.Members.Max(m => Address(m).Length));
        output.WriteLine($"{"shard".PadRight(idWidth)}  {"address".PadRight(addressWidth)}  {"weight",6}  {"share",7}");
        foreach (var member in ring.Members)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{member.ShardId.PadRight(idWidth)}  {Address(member).PadRight(addressWidth)}  {member.Weight,6}  {shares[member.ShardId],7:P2}"));
        }

        return 0;
    }

    /// <summary>Writes the owner of <paramref name="coupleId"/>; returns the exit code.</summary>
    public static int Owner(RingSnapshot ring, string coupleId, TextWriter output)
    {
        if (ring.OwnerOf(coupleId) is not { } owner)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no owner: the ring is empty at epoch {ring.Epoch}"));
            return Unavailable;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{coupleId} -> {owner.ShardId} ({Address(owner)}) at epoch {ring.Epoch}"));
        return 0;
    }

    private static string Address(RingMember member) =>
        member.Host.Length == 0 ? "(no address)" : string.Create(CultureInfo.InvariantCulture, $"{member.Host}:{member.MuxPort}");

    private static async Task<int> RunAsync(
        ParseResult result, Option<string> zk, Option<string> root, Option<double> timeout, Func<RingSnapshot, TextWriter, int> print, CancellationToken cancellationToken)
    {
        var seconds = result.GetValue(timeout);
        if (!(seconds is > 0 and <= 3600))
        {
            return Cli.Fail(result, "--timeout must be more than 0 and at most 3600 seconds");
        }

        var wait = TimeSpan.FromSeconds(seconds);
        var clientOptions = new ZooKeeperClientOptions { ConnectString = result.GetValue(zk)!, RequestTimeout = wait };
        var watcherOptions = new RingWatcherOptions { Root = result.GetValue(root)!, CreateLayout = false };
        var problems = new List<string>();
        problems.AddRange(new ZooKeeperClientOptionsValidator().Validate(null, clientOptions).Failures ?? []);
        problems.AddRange(new RingWatcherOptionsValidator().Validate(null, watcherOptions).Failures ?? []);
        if (problems.Count > 0)
        {
            return Cli.Fail(result, string.Join(" ", problems));
        }

        await using var client = new ZooKeeperClient(clientOptions);
        await using var watcher = new RingWatcher(client, watcherOptions);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(wait);
        if (!await watcher.StartAsync(bound.Token))
        {
            Cli.Error(result).WriteLine($"chatctl: could not read the ring from ZooKeeper {clientOptions.ConnectString} within {seconds} s");
            return Unavailable;
        }

        return print(watcher.Current, Cli.Output(result));
    }
}
