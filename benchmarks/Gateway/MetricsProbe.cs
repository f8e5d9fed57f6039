using System.Globalization;

namespace Chat.Benchmarks.Gateway;

/// <summary>
/// Reads a few runtime series from a server's Prometheus <c>/metrics</c> (managed heap, GC counts,
/// allocations, threads) so a figure comes with what the runtime did meanwhile. Optional: without
/// a URL, or when the page cannot be read, the figures go without these.
/// </summary>
internal sealed class MetricsProbe(string? url)
{
    private static readonly string[] Series =
    [
        "dotnet_total_memory_bytes",
        "dotnet_gc_heap_total_allocated_bytes_total",
        "dotnet_gc_collections_total",
        "dotnet_collection_count_total",
        "dotnet_gc_pause_time_seconds_total",
        "dotnet_thread_pool_thread_count",
        "process_num_threads",
        "dotnet_gc_last_collection_heap_size_bytes",
    ];

    /// <summary>Series name (with labels) to value; empty without a URL or on failure.</summary>
    public async Task<IReadOnlyDictionary<string, double>> ReadAsync()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(url))
        {
            return values;
        }

        string text;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            text = await http.GetStringAsync(new Uri(url));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"metrics {url}: {ex.Message}");
            return values;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !Series.Any(s => line.StartsWith(s, StringComparison.Ordinal)))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[line[..space]] = value;
            }
        }

        return values;
    }

    /// <summary>One "name=after (delta)" line per series present in both readings.</summary>
    public static string Describe(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
        string.Join(
            "\n",
            after.Where(a => before.ContainsKey(a.Key))
                .Select(a => string.Create(CultureInfo.InvariantCulture, $"  {a.Key} = {a.Value:G6} (delta {a.Value - before[a.Key]:G6})")));
}
