using BenchmarkDotNet.Attributes;
using Chat.Cluster.ZooKeeper;

namespace Chat.Benchmarks.ZooKeeper;

/// <summary>
/// The managed ZooKeeper client against a real local server: one round trip, many pipelined on the
/// one connection, and a write. The watch path is in <see cref="ZooKeeperWatchBenchmarks"/>.
/// </summary>
/// <remarks>
/// Needs a ZooKeeper 3.5+ named by CHAT_BENCH_ZK (default 127.0.0.1:2181). Run:
///   CHAT_BENCH_ZK=127.0.0.1:22100 dotnet run -c Release --project benchmarks -- --filter '*ZooKeeperClientBenchmarks*'
/// Mean is per operation (for the pipelined case: wall time / 64 reads).
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class ZooKeeperClientBenchmarks
{
    private const int Pipelined = 64;
    private readonly string _root = $"/bench-{Guid.NewGuid():N}";
    private readonly byte[] _data = new byte[100];
    private ZooKeeperClient _client = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connect = Environment.GetEnvironmentVariable("CHAT_BENCH_ZK") is { Length: > 0 } value ? value : "127.0.0.1:2181";
        _client = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = connect });
        if (await _client.ConnectAsync() != ZooKeeperError.Ok)
        {
            throw new InvalidOperationException($"ZooKeeper {connect} does not answer (set CHAT_BENCH_ZK)");
        }

        await _client.CreateAsync(_root, _data, CreateMode.Persistent);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DeleteAsync(_root);
        await _client.DisposeAsync();
    }

    [Benchmark(Description = "getData, one round trip")]
    public async Task<int> GetDataAsync() => (await _client.GetDataAsync(_root)).Value!.Data.Length;

    [Benchmark(Description = "getData, 64 pipelined", OperationsPerInvoke = Pipelined)]
    public async Task GetDataPipelinedAsync()
    {
        var reads = new Task<ZooKeeperResult<NodeData>>[Pipelined];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = _client.GetDataAsync(_root);
        }

        await Task.WhenAll(reads);
    }

    [Benchmark(Description = "setData (a quorum write)")]
    public async Task<int> SetDataAsync() => (await _client.SetDataAsync(_root, _data)).Value!.Version;
}
