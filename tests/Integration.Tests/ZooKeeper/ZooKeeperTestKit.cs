using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Chat.Cluster.ZooKeeper;
using Xunit.Abstractions;

namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>Helpers shared by the ZooKeeper and membership integration tests.</summary>
internal static class ZooKeeperTestKit
{
    /// <summary>Bound of every await in these tests: long enough for a slow, shared 2-core machine.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

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
        Assert.Equal(ZooKeeperError.Ok, await client.ConnectAsync(TestTimeout));
        return client;
    }

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(TestTimeout);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(TestTimeout);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or the bound passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var bound = within ?? TestTimeout;
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

    /// <summary>
    /// Ends <paramref name="client"/>'s session from outside, as the server does after a client was
    /// paused past its timeout: a second connection presents the same session (id and password,
    /// which ZooKeeper lets any client do) and closes it in the same write. The server deletes the
    /// session's ephemeral nodes; the client's connection ends or falls silent, and its next
    /// handshake is answered "expired".
    /// </summary>
    /// <param name="client">The client whose session must end.</param>
    /// <param name="server">One server ("127.0.0.1:port") of the client's ensemble.</param>
    public static async Task ExpireSessionAsync(ZooKeeperClient client, string server)
    {
        var expired = client.NextStateAsync(s => s.State == ZooKeeperState.Expired);
        var colon = server.LastIndexOf(':');
        var port = int.Parse(server[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        // The client reconnects within milliseconds and may take the session back before the close
        // is read (the server then drops this connection first): try again until it lands.
        for (var attempt = 1; attempt <= 10 && !expired.IsCompleted; attempt++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await socket.ConnectAsync(server[..colon], port, bound.Token);
            var connect = RequestEncoder.Connect(0, 4000, client.SessionId, client.SessionPassword.Span);
            var close = RequestEncoder.Empty(OpCode.CloseSession);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(close.AsSpan(4), 1);
            await socket.SendAsync(connect.Concat(close).ToArray(), SocketFlags.None, bound.Token);
            var sink = new byte[1024];
            try
            {
                while (await socket.ReceiveAsync(sink, SocketFlags.None, bound.Token) > 0)
                {
                    // Drain the replies until the server closes the connection (it does after a close).
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Reset or no close within the bound: the loop checks whether the session ended.
            }

            await Task.WhenAny(expired, Task.Delay(TimeSpan.FromSeconds(4)));
        }

        await expired.DefaultTimeout();
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
