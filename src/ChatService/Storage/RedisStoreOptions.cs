using StackExchange.Redis;

namespace Chat.ChatService.Storage;

/// <summary>Settings of the Redis chat store (configuration section <c>Redis</c>).</summary>
public sealed class RedisStoreOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// StackExchange.Redis configuration string: one endpoint, or several for a Redis Cluster, plus
    /// options such as <c>password=</c> or <c>ssl=true</c>. Default <c>127.0.0.1:6379</c>. Timeouts and
    /// <c>abortConnect</c> in it are overridden by the options below.
    /// </summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>
    /// How long a command may take, including time queued while disconnected, before the call
    /// returns Unavailable. Default 2 s. Checked on the client's 1 s heartbeat, so the real bound is
    /// up to a second later. Longer: sends hang longer when Redis is gone; shorter: a slow fsync
    /// (appendfsync always) or a failover blip turns into errors.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed to open a connection to one Redis endpoint. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While disconnected, queue commands until the connection is back or <see cref="CommandTimeout"/>
    /// passes (true, default), or fail them at once with Unavailable (false). Queueing hides short
    /// reconnects; failing at once answers faster during a long outage.
    /// </summary>
    public bool QueueWhileDisconnected { get; set; } = true;

    /// <summary>
    /// How long a send is remembered by (sender, clientMsgId). Default 7 days. A client retrying the
    /// same send after this gets a second copy: keep it above the longest time a client may hold an
    /// unacknowledged message (offline outbox). Each remembered send costs about 100 bytes of Redis memory.
    /// </summary>
    public TimeSpan DedupTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Messages kept per couple (at least this many; trimming is by whole stream nodes, so up to about
    /// 100 more). Default 10,000. 0 keeps everything: Redis memory then grows without bound with the
    /// history of every couple.
    /// </summary>
    public int RetentionCount { get; set; } = 10_000;

    /// <summary>Most messages one read returns, whatever the caller asks for. Default 500.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>
    /// Record bytes after which a read stops early (it still returns at least one message).
    /// Default 1 MiB. Bounds the memory one Sync can take on Redis and here.
    /// </summary>
    public int MaxPageBytes { get; set; } = 1 << 20;

    /// <summary>Largest message body accepted, in bytes. Default 256 KiB (the protocol's decompressed frame limit).</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Null when valid, else every problem with these settings on one line, separated by "; ".</summary>
    public string? Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            errors.Add("Redis:Configuration is empty");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(Configuration).EndPoints.Count == 0)
                {
                    errors.Add("Redis:Configuration names no endpoint");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"Redis:Configuration is not a valid StackExchange.Redis configuration: {ex.Message}");
            }
        }

        CheckRange(errors, nameof(CommandTimeout), CommandTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckRange(errors, nameof(ConnectTimeout), ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckRange(errors, nameof(DedupTtl), DedupTtl, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        if (RetentionCount < 0)
        {
            errors.Add($"Redis:{nameof(RetentionCount)} must be 0 (unbounded) or positive, not {RetentionCount}");
        }

        if (MaxPageSize is < 1 or > 10_000)
        {
            errors.Add($"Redis:{nameof(MaxPageSize)} must be 1..10000, not {MaxPageSize}");
        }

        if (MaxPageBytes is < 1024 or > 64 << 20)
        {
            errors.Add($"Redis:{nameof(MaxPageBytes)} must be 1 KiB..64 MiB, not {MaxPageBytes}");
        }

        if (MaxBodyBytes is < 1 or > 16 << 20)
        {
            errors.Add($"Redis:{nameof(MaxBodyBytes)} must be 1 B..16 MiB, not {MaxBodyBytes}");
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    /// <summary>The StackExchange.Redis settings: the configuration string with this store's overrides.</summary>
    internal ConfigurationOptions ToRedisConfiguration()
    {
        var config = ConfigurationOptions.Parse(Configuration);

        // Start and keep running while Redis is down; sends get Unavailable until it is back.
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds;
        config.SyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        config.AsyncTimeout = (int)CommandTimeout.TotalMilliseconds;
        config.BacklogPolicy = QueueWhileDisconnected ? BacklogPolicy.Default : BacklogPolicy.FailFast;
        return config;
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"Redis:{name} must be {min}..{max}, not {value}");
        }
    }
}
