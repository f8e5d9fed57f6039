namespace Chat.Cluster.ZooKeeper;

/// <summary>Settings of <see cref="ZooKeeperClient"/>; checked by <see cref="ZooKeeperClientOptionsValidator"/>.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary>
    /// Servers and an optional chroot: "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/chat-prod". Required.
    /// The client tries them in a shuffled order and moves to the next one on any failure.
    /// </summary>
    public string ConnectString { get; set; } = string.Empty;

    /// <summary>
    /// Session timeout asked of the server, which clamps it to its [minSessionTimeout,
    /// maxSessionTimeout] (2 to 20 ticks unless configured). Default 10 s. Shorter: a crashed process
    /// leaves the ring sooner, but a GC pause or a network blip that long ends the session (its
    /// ephemeral nodes go, the shard leaves the ring). Longer: a dead shard keeps its couples longer.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time allowed for one server to accept the TCP connection and answer the handshake before the
    /// next one is tried. Default 3 s. Too short fails over from a merely slow server.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Default time a call may take, waiting for a connection included, before it returns
    /// <see cref="ZooKeeperError.OperationTimeout"/> (each call may pass its own). Default 10 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most calls queued or awaiting a reply at once; more return <see cref="ZooKeeperError.RequestQueueFull"/>
    /// at once. Default 1,000. Bounds the memory held while ZooKeeper is unreachable; a much larger
    /// value lets a stalled server pile up work.
    /// </summary>
    public int MaxPendingRequests { get; set; } = 1_000;

    /// <summary>
    /// Largest reply frame accepted, bytes. Default 4 MiB (servers refuse data over jute.maxbuffer,
    /// 1 MiB by default, but a listing of many children can be larger). A larger frame is treated as a
    /// broken connection.
    /// </summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Pause after a full round of servers failed; doubles each round up to <see cref="MaxReconnectDelay"/>,
    /// with jitter. Default 100 ms. Zero makes a client hammer dead servers.
    /// </summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ceiling of the pause between rounds of reconnect attempts. Default 2 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
