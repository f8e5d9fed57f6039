using System.Globalization;
using System.Net;

namespace Chat.Benchmarks.ShardLoad;

/// <summary>Command line of <c>shard-load</c>.</summary>
internal sealed record ShardLoadOptions(IPEndPoint Shard, string TokenKeyFile, int Couples, int Seconds, int InFlight, int BodyBytes, int? ShardPid)
{
    public const string Usage =
        "shard-load --shard 127.0.0.1:PORT --token-keys FILE [--couples 200] [--seconds 20] [--inflight 8] [--body 100] [--pid SHARD_PID]";

    public static ShardLoadOptions? Parse(string[] args, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        error = null;
        if (!values.TryGetValue("--shard", out var shard) || !IPEndPoint.TryParse(shard, out var endPoint) || endPoint.Port == 0)
        {
            error = "--shard ip:port is required";
            return null;
        }

        if (!values.TryGetValue("--token-keys", out var keys))
        {
            error = "--token-keys is required (the shard's token key file)";
            return null;
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new ShardLoadOptions(endPoint, keys, Int("--couples", 200), Int("--seconds", 20), Int("--inflight", 8), Int("--body", 100),
            values.ContainsKey("--pid") ? Int("--pid", 0) : null);
    }
}
