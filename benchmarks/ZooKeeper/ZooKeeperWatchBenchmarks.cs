using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Chat.Cluster.ZooKeeper;

namespace Chat.Benchmarks.ZooKeeper;

/// <summary>
/// Watch latency as a ring change is seen: another session creates a child of a watched node; the
/// time runs from the create call until our NodeChildrenChanged callback has run (create round trip
/// + notification + dispatch). One sample per iteration, the watch re-armed outside the measurement.
/// </summary>
/// <remarks>
/// Needs CHAT_BENCH_ZK as <see cref="ZooKeeperClientBenchmarks"/>. Run:
///   CHAT_BENCH_ZK=127.0.0.1:22100 dotnet run -c Release --project benchmarks -- --filter '*ZooKeeperWatchBenchmarks*'
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 5, iterationCount: 200)]
[AllStatisticsColumn]
public class ZooKeeperWatchBenchmarks
{
    private readonly string _root = $"/bench-watch-{Guid.NewGuid():N}";
    private ZooKeeperClient _watcher = null!;
    private ZooKeeperClient _writer = null!;
    private TaskCompletionSource _event = new();
    private int _child;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connect = Environment.GetEnvironmentVariable("CHAT_BENCH_ZK") is { Length: > 0 } value ? value : "127.0.0.1:2181";
        _watcher = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = connect });
        _writer = new ZooKeeperClient(new ZooKeeperClientOptions { ConnectString = connect });
        if (await _watcher.ConnectAsync() != ZooKeeperError.Ok || await _writer.ConnectAsync() != ZooKeeperError.Ok)
        {
            throw new InvalidOperationException($"ZooKeeper {connect} does not answer (set CHAT_BENCH_ZK)");
        }

        await _watcher.CreateAsync(_root, default, CreateMode.Persistent);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        // The members are ephemeral: closing the writer removes them, then the root can go.
        await _writer.DisposeAsync();
        await _watcher.DeleteAsync(_root);
        await _watcher.DisposeAsync();
    }

    [IterationSetup]
    public void ArmChildWatch()
    {
        _event = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = _watcher.GetChildrenAsync(_root, _ => _event.TrySetResult()).GetAwaiter().GetResult();
        if (!armed.IsOk)
        {
            throw new InvalidOperationException($"getChildren: {armed.Error}");
        }
    }

    [Benchmark(Description = "create by another session -> child watch callback")]
    public async Task CreateUntilChildWatchFiresAsync()
    {
        var created = await _writer.CreateAsync($"{_root}/m{_child++}", default, CreateMode.Ephemeral);
        if (!created.IsOk)
        {
            throw new InvalidOperationException($"create: {created.Error}");
        }

        await _event.Task;
    }
}
