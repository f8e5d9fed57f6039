using System.Collections.Concurrent;

namespace Chat.LoadTest.Checks;

/// <summary>Errors by code: server Error packets ("server:RateLimited") and sends that did not end Sent ("send:TimedOut"). Thread-safe.</summary>
internal sealed class ErrorCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string code, long count = 1) => _counts.AddOrUpdate(code, count, (_, c) => c + count);

    public long Total => _counts.Values.Sum();

    public SortedDictionary<string, long> Snapshot() => new(_counts.ToDictionary(), StringComparer.Ordinal);

    public static SortedDictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> parts)
    {
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (code, count) in part)
            {
                merged[code] = merged.GetValueOrDefault(code) + count;
            }
        }

        return merged;
    }
}
