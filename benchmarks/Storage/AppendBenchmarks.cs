using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Chat.ChatService.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Chat.Benchmarks.Storage;

/// <summary>
/// The store's send path against a real local Redis: appends per second with many concurrent
/// appenders (StackExchange.Redis pipelines them on one connection), under appendfsync everysec and
/// always. Only the store: no sockets to clients, no chat logic.
/// </summary>
/// <remarks>
/// Needs a Redis with AOF on, named by CHAT_BENCH_REDIS (default 127.0.0.1:6379); the benchmark
/// switches appendfsync with CONFIG SET and puts the old value back at the end. Run:
///   CHAT_BENCH_REDIS=127.0.0.1:22210 dotnet run -c Release --project benchmarks -- --filter '*AppendBenchmarks*'
/// One operation is one append, so Mean is wall time / appends: appends/s = 1 s / Mean.
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private const int AppendsPerInvocation = 4096;
    private static readonly byte[] Body = new byte[100];

    // Each benchmark case runs in its own process against the same Redis: couple names must not repeat.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer? _admin;
    private RedisChatStore? _store;
    private string? _originalFsync;
    private int _invocation;

    [Params("everysec", "always")]
    public string AppendFsync { get; set; } = "everysec";

    [Params(1, 16, 256)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var configuration = Environment.GetEnvironmentVariable("CHAT_BENCH_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:6379";
        _admin = await ConnectionMultiplexer.ConnectAsync($"{configuration},allowAdmin=true");
        var server = _admin.GetServers()[0];
        _originalFsync = (await server.ConfigGetAsync("appendfsync")).Single().Value;
        await server.ConfigSetAsync("appendfsync", AppendFsync);
        _store = await RedisChatStore.ConnectAsync(
            new RedisStoreOptions { Configuration = configuration, CommandTimeout = TimeSpan.FromSeconds(10) },
            NullLoggerFactory.Instance);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_admin is not null && _originalFsync is not null)
        {
            await _admin.GetServers()[0].ConfigSetAsync("appendfsync", _originalFsync);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _admin?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvocation)]
    public async Task AppendAsync()
    {
        var invocation = Interlocked.Increment(ref _invocation);
        var store = _store!;
        var perAppender = AppendsPerInvocation / Appenders;
        var appenders = new Task[Appenders];
        for (var a = 0; a < appenders.Length; a++)
        {
            // One couple per appender, like many couples chatting at once on one shard.
            var couple = $"bench-{_run}-{invocation}-{a}";
            appenders[a] = Task.Run(async () =>
            {
                for (var i = 0; i < perAppender; i++)
                {
                    var result = await store.AppendAsync(couple, $"m{i}", "alice", "phone", 1, Body, 1_700_000_000_000 + i);
                    if (result.Status != AppendStatus.Appended)
                    {
                        throw new InvalidOperationException($"append {i} of {couple}: {result.Status}");
                    }
                }
            });
        }

        await Task.WhenAll(appenders);
    }
}
