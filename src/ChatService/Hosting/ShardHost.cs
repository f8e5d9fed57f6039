using Chat.ChatService.Lifecycle;
using Chat.ChatService.Storage;
using Chat.Hosting.Admin;
using Chat.Hosting.Lifecycle;
using Chat.Hosting.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.ChatService.Hosting;

/// <summary>
/// The shard process: <c>dotnet run --project src/ChatService -- --shard-id s1 --zk 127.0.0.1:2181
/// --redis 127.0.0.1:6379 --token-keys keys.txt --cluster-key cluster.txt [--direct-listen 127.0.0.1:7200]</c>.
/// Configuration: appsettings.json, environment (prefix CHAT_SHARD_, e.g. CHAT_SHARD_Redis__Configuration),
/// command line (<c>--Section:Key value</c> or the short switches below). A bad value: one line, exit code 2.
/// </summary>
public static class ShardHost
{
    public const string EnvironmentPrefix = "CHAT_SHARD_";

    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    /// <summary>Short command-line switches and the settings they set.</summary>
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--shard-id"] = "Shard:Id",
        ["--mux-listen"] = "Shard:MuxListen",
        ["--direct-listen"] = "Shard:DirectListen",
        ["--advertise-host"] = "Shard:AdvertiseHost",
        ["--weight"] = "Shard:Weight",
        ["--event-loops"] = "Shard:EventLoops",
        ["--zk"] = "ZooKeeper:ConnectString",
        ["--zk-root"] = "ZooKeeper:Root",
        ["--zk-session-timeout"] = "ZooKeeper:SessionTimeout",
        ["--redis"] = "Redis:Configuration",
        ["--token-keys"] = "Security:TokenKeyFile",
        ["--cluster-key"] = "Security:ClusterKeyFile",
        ["--admin"] = "Admin:Url",
        ["--drain-timeout"] = "Drain:Timeout",
        ["--rate"] = "Limits:RatePerSecond",
        ["--rate-burst"] = "Limits:RateBurst",
        ["--auth-timeout"] = "Limits:AuthTimeout",
    };

    /// <summary>Runs the shard until it stops; returns the exit code (0 after a stop or drain, 2 on bad configuration).</summary>
    public static Task<int> RunAsync(string[] args) => ServerHost.RunAsync(() =>
    {
        var builder = ServerHost.CreateBuilder(args, EnvironmentPrefix, Switches);
        var services = builder.Services;
        services.AddValidatedOptions<ShardOptions>(ShardOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<ShardZooKeeperOptions>(ShardZooKeeperOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<SecurityOptions>(SecurityOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<ChatLimitsOptions>(ChatLimitsOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<DrainOptions>(DrainOptions.SectionName, o => o.Validate());

        // The host's stop waits for the drain: give it the drain's bound plus time to close the rest
        // (the default 30 s equals the default drain timeout and would cut the close short).
        services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) => host.ShutdownTimeout = drain.Value.Timeout + ShutdownMargin);
        services.AddValidatedOptions<RedisStoreOptions>(RedisStoreOptions.SectionName, o => o.Validate());
        services.AddMetrics();
        services.AddSingleton<ShardRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<ShardRuntime>());
        services.AddSingleton<IDrainProcedure, ShardDrain>();
        services.AddSingleton<IReadinessCheck, ZooKeeperReadiness>();
        services.AddSingleton<IReadinessCheck, RedisReadiness>();
        var app = builder.Build();
        app.MapRingEndpoint();
        return app;
    });
}
