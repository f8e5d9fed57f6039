using System.Net;
using System.Net.Sockets;
using Chat.Cluster.ZooKeeper;

namespace Chat.Tests.Cluster.ZooKeeper;

/// <summary>The client with no server to talk to: calls wait, time out, are bounded, and close cleanly.</summary>
public sealed class ZooKeeperClientOfflineTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private ZooKeeperClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new ZooKeeperClient(new ZooKeeperClientOptions
        {
            ConnectString = $"127.0.0.1:{ClosedPort()},127.0.0.1:{ClosedPort()}",
            MaxPendingRequests = 2,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync().AsTask().WaitAsync(Bound);

    [Fact]
    public async Task Calls_time_out_while_no_server_answers()
    {
        var result = await _client.GetDataAsync("/a", timeout: TimeSpan.FromMilliseconds(200)).WaitAsync(Bound);
        Assert.Equal(ZooKeeperError.OperationTimeout, result.Error);
        Assert.Equal(ZooKeeperState.Connecting, _client.State);
        Assert.Equal(0, _client.SessionId);
    }

    [Fact]
    public async Task Connect_reports_a_timeout_and_keeps_trying() =>
        Assert.Equal(ZooKeeperError.OperationTimeout, await _client.ConnectAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Bound));

    [Fact]
    public async Task Calls_beyond_the_bound_are_refused_at_once()
    {
        var first = _client.ExistsAsync("/1", timeout: TimeSpan.FromSeconds(20));
        var second = _client.ExistsAsync("/2", timeout: TimeSpan.FromSeconds(20));
        var third = await _client.ExistsAsync("/3").WaitAsync(Bound);
        Assert.Equal(ZooKeeperError.RequestQueueFull, third.Error);
        Assert.False(first.IsCompleted);

        // Closing completes every queued call.
        await _client.CloseAsync().WaitAsync(Bound);
        Assert.Equal(ZooKeeperError.ClientClosed, (await first.WaitAsync(Bound)).Error);
        Assert.Equal(ZooKeeperError.ClientClosed, (await second.WaitAsync(Bound)).Error);
        Assert.Equal(ZooKeeperState.Closed, _client.State);
    }

    [Fact]
    public async Task A_cancelled_call_throws_and_frees_its_slot()
    {
        using var cancel = new CancellationTokenSource();
        var call = _client.ExistsAsync("/x", cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Bound));
        var next = _client.ExistsAsync("/y", timeout: TimeSpan.FromMilliseconds(100));
        var last = _client.ExistsAsync("/z", timeout: TimeSpan.FromMilliseconds(100));
        Assert.Equal(ZooKeeperError.OperationTimeout, (await next.WaitAsync(Bound)).Error);
        Assert.Equal(ZooKeeperError.OperationTimeout, (await last.WaitAsync(Bound)).Error);
    }

    [Fact]
    public async Task Closing_between_reconnect_rounds_ends_cleanly()
    {
        Assert.Equal(ZooKeeperError.OperationTimeout, await _client.ConnectAsync(TimeSpan.FromMilliseconds(150)).WaitAsync(Bound));
        await _client.CloseAsync().WaitAsync(Bound);
        Assert.Equal(ZooKeeperError.ClientClosed, await _client.ConnectAsync().WaitAsync(Bound));
        Assert.Equal(ZooKeeperError.ClientClosed, (await _client.CreateAsync("/a", default, CreateMode.Persistent).WaitAsync(Bound)).Error);
    }

    [Fact]
    public async Task Bad_paths_are_refused_without_a_server()
    {
        Assert.Equal(ZooKeeperError.BadArguments, await _client.DeleteAsync("relative").WaitAsync(Bound));
        Assert.Equal(ZooKeeperError.BadArguments, (await _client.CreateAsync("/a/", default, CreateMode.Persistent).WaitAsync(Bound)).Error);
        Assert.Equal(ZooKeeperError.BadArguments, (await _client.SetDataAsync("", default).WaitAsync(Bound)).Error);
    }

    // A port nobody listens on: bound, then released (connect gets "refused" at once on loopback).
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
