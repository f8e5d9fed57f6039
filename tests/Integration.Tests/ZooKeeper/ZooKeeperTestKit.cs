using System.Diagnostics;
using System.Text;
using Chat.Cluster.ZooKeeper;
using Xunit.Abstractions;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Helpers shared by the ZooKeeper and membership integration tests.</summary>
internal static class ZooKeeperTestKit
{
    /// <summary>Bound of every await in these tests: long enough for a slow, shared 2-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A fresh, unique root path per test, so tests never see each other's nodes.</summary>
    public static string UniqueRoot(string prefix = "t") => $"/{prefix}-{Guid.NewGuid():N}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    public static ZooKeeperClient Client(
        ITestOutputHelper output, string connectString, string name = "zk", TimeSpan? sessionTimeout = null, Action<ZooKeeperClientOptions>? configure = null)
    {
        var options = new ZooKeeperClientOptions
        {
            ConnectString = connectString,
            SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new ZooKeeperClient(options, new TestLogger<ZooKeeperClient>(output, name));
    }

    public static async Task<ZooKeeperClient> ConnectedAsync(
        ITestOutputHelper output, string connectString, string name = "zk", TimeSpan? sessionTimeout = null)
    {
        var client = Client(output, connectString, name, sessionTimeout);
        Assert.Equal(ZooKeeperError.Ok, await client.ConnectAsync(Timeout));
        return client;
    }

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or the bound passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var bound = within ?? Timeout;
        while (stopwatch.Elapsed < bound)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }

    /// <summary>Waits for the next state change matching <paramref name="predicate"/>.</summary>
    public static Task<ZooKeeperStateChange> NextStateAsync(this ZooKeeperClient client, Func<ZooKeeperStateChange, bool> predicate)
    {
        var seen = new TaskCompletionSource<ZooKeeperStateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(ZooKeeperStateChange change)
        {
            if (predicate(change) && seen.TrySetResult(change))
            {
                client.StateChanged -= Handler;
            }
        }

        client.StateChanged += Handler;
        return seen.Task;
    }

    /// <summary>Creates the path and any missing parents as persistent nodes.</summary>
    public static async Task CreatePathAsync(ZooKeeperClient client, string path, byte[]? data = null)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = string.Empty;
        for (var i = 0; i < parts.Length; i++)
        {
            current += "/" + parts[i];
            var last = i == parts.Length - 1;
            var result = await client.CreateAsync(current, last ? data ?? [] : [], CreateMode.Persistent).DefaultTimeout();
            Assert.True(result.Error is ZooKeeperError.Ok or ZooKeeperError.NodeExists, $"create {current}: {result.Error}");
        }
    }

    /// <summary>Collects fired watch events so a test can await the n-th one.</summary>
    public sealed class WatchLog
    {
        private readonly List<WatchedEvent> _events = [];
        private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

        public WatchLog()
        {
            Watcher = Record;
        }

        public Action<WatchedEvent> Watcher { get; }

        public IReadOnlyList<WatchedEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public async Task<WatchedEvent> NextAsync(int index)
        {
            Task wait;
            lock (_events)
            {
                if (_events.Count > index)
                {
                    return _events[index];
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((index + 1, signal));
                wait = signal.Task;
            }

            await wait.DefaultTimeout();
            lock (_events)
            {
                return _events[index];
            }
        }

        private void Record(WatchedEvent watchedEvent)
        {
            lock (_events)
            {
                _events.Add(watchedEvent);
                foreach (var waiter in _waiters.Where(w => _events.Count >= w.Count).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
