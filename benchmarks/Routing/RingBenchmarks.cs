using System.Globalization;
using System.IO.Hashing;
using System.Text;
using BenchmarkDotNet.Attributes;
using Chat.Cluster.Routing;

namespace Chat.Benchmarks.Routing;

/// <summary>
/// Ring lookup (per couple id) and ring build (per membership change) for 10 and 100 normal shards.
/// Lookups walk 65,536 distinct ids so the points array is read as in production (random positions),
/// not from a few hot cache lines.
///   dotnet run -c Release --project benchmarks -- --filter '*Ring*' --job short
/// </summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private const int Lookups = 65_536;

    private RingMember[] _members = [];
    private RingSnapshot _ring = RingSnapshot.Empty;
    private string[] _coupleIds = [];
    private ulong[] _sortedPoints = [];

    [Params(10, 100)]
    public int Shards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _members = Enumerable.Range(0, Shards)
            .Select(i => new RingMember("shard-" + i.ToString("000", CultureInfo.InvariantCulture), "10.0.0.1", 7000 + i, RingMember.NormalWeight))
            .ToArray();
        _ring = new RingSnapshot(1, _members);
        _sortedPoints = _members
            .SelectMany(m => Enumerable.Range(0, RingMember.NormalWeight * 20).Select(i => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(m.ShardId + "#" + i))))
            .Order()
            .ToArray();
        var random = new Random(12345);
        _coupleIds = Enumerable.Range(0, Lookups)
            .Select(_ => "c" + random.NextInt64(1_000_000_000_000).ToString(CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>UTF-8 + xxHash64 of the id alone: the part of <see cref="OwnerOf"/> that is not the search.</summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public ulong HashOnly()
    {
        ulong sum = 0;
        Span<byte> buffer = stackalloc byte[64];
        foreach (var id in _coupleIds)
        {
            var length = Encoding.UTF8.GetBytes(id, buffer);
            sum += XxHash64.HashToUInt64(buffer[..length]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int OwnerOf()
    {
        var sum = 0;
        foreach (var id in _coupleIds)
        {
            sum += _ring.OwnerOf(id)!.MuxPort;
        }

        return sum;
    }

    /// <summary>
    /// Reference for the ring's bucket index: hash, then a plain lower-bound binary search over the
    /// same sorted points, in the same run (so under the same machine load as <see cref="OwnerOf"/>).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Lookups)]
    public int FullBinarySearch()
    {
        var sum = 0;
        var points = _sortedPoints;
        Span<byte> buffer = stackalloc byte[64];
        foreach (var id in _coupleIds)
        {
            var hash = XxHash64.HashToUInt64(buffer[..Encoding.UTF8.GetBytes(id, buffer)]);
            int low = 0, high = points.Length;
            while (low < high)
            {
                var mid = (int)((uint)(low + high) >> 1);
                if (points[mid] < hash)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            sum += low;
        }

        return sum;
    }

    [Benchmark]
    public RingSnapshot Build() => new(1, _members);
}
