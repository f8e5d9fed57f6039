using System.Globalization;
using System.Net;
using Chat.Protocol.Security;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// The <c>--name value</c> switches of one gateway figure mode. Lookups return defaults for absent
/// switches; a value that does not parse is recorded in <see cref="Errors"/> (reported once, exit 2).
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    private BenchArgs()
    {
    }

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Parses everything after the mode name.</summary>
    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        var parsed = new BenchArgs();
        for (var i = 1; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                parsed._errors.Add($"expected '--name value' at '{args[i]}'");
                break;
            }

            parsed._values[args[i][2..]] = args[++i];
        }

        return parsed;
    }

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => Number(name, fallback, static s => int.Parse(s, CultureInfo.InvariantCulture));

    public double Double(string name, double fallback) => Number(name, fallback, static s => double.Parse(s, CultureInfo.InvariantCulture));

    public bool Flag(string name, bool fallback) => Number(name, fallback, bool.Parse);

    /// <summary>A required host:port.</summary>
    public IPEndPoint Endpoint(string name)
    {
        if (_values.TryGetValue(name, out var text) && IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint;
        }

        _errors.Add($"--{name} host:port is required");
        return new IPEndPoint(IPAddress.Loopback, 0);
    }

    /// <summary>Comma-separated process ids (the server processes measured); empty when absent.</summary>
    public IReadOnlyList<int> Pids(string name) =>
        Text(name, string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => Number(name, 0, _ => int.Parse(p, CultureInfo.InvariantCulture))).ToList();

    /// <summary>A token signer over the key file of <c>--token-keys</c>, or null (error recorded).</summary>
    public TokenSigner? Signer()
    {
        var path = Text("token-keys", string.Empty);
        if (!KeyFile.TryLoad(path, out var keys, out var error))
        {
            _errors.Add($"--token-keys: {error.Message}");
            return null;
        }

        return new TokenSigner(keys);
    }

    private T Number<T>(string name, T fallback, Func<string, T> parse)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            _errors.Add($"--{name}: '{text}' does not parse");
            return fallback;
        }
        catch (OverflowException)
        {
            _errors.Add($"--{name}: '{text}' is out of range");
            return fallback;
        }
    }
}
