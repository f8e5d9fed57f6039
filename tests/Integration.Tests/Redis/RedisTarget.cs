using Chat.ChatService.Storage;
using Chat.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Chat.Tests.Integration.Redis;

/// <summary>The two real Redis deployments the store tests run against: "single" (AOF on) and "cluster" (3 masters).</summary>
internal static class RedisTarget
{
    public const string Single = "single";
    public const string Cluster = "cluster";

    /// <summary>Every await in these tests is bounded by this, so a hung Redis fails the test instead of the run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Configuration(string target) => target switch
    {
        Single => TestServers.Redis,
        Cluster => TestServers.RedisCluster,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "unknown Redis target"),
    };

    public static async Task<RedisChatStore> ConnectStoreAsync(string target, Action<RedisStoreOptions>? configure = null)
    {
        var options = new RedisStoreOptions { Configuration = Configuration(target) };
        configure?.Invoke(options);
        return await RedisChatStore.ConnectAsync(options, NullLoggerFactory.Instance).WaitAsync(Timeout);
    }

    /// <summary>A second, admin-enabled connection for what the store never does (SCRIPT FLUSH, CONFIG SET, raw reads).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAdminAsync(string target)
    {
        var config = ConfigurationOptions.Parse(Configuration(target));
        config.AllowAdmin = true;
        config.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(Timeout);
    }

    /// <summary>A couple id no other test (or earlier run against the same servers) uses.</summary>
    public static string NewCoupleId() => "t" + Guid.NewGuid().ToString("N");

    public static async Task<T> Bounded<T>(this ValueTask<T> task) => await task.AsTask().WaitAsync(Timeout);

    public static async Task<T> Bounded<T>(this Task<T> task) => await task.WaitAsync(Timeout);

    public static async Task Bounded(this Task task) => await task.WaitAsync(Timeout);

    /// <summary>Reads the couple's whole log through the public paging API.</summary>
    public static async Task<List<StoredMessage>> ReadAllAsync(this IChatStore store, string coupleId, int pageSize = 200)
    {
        var all = new List<StoredMessage>();
        var after = 0L;
        while (true)
        {
            var page = await store.ReadAsync(coupleId, after, pageSize).Bounded();
            Assert.Equal(StoreStatus.Ok, page.Status);
            all.AddRange(page.Messages);
            if (!page.More)
            {
                return all;
            }

            after = page.Messages[^1].Seq;
        }
    }
}
