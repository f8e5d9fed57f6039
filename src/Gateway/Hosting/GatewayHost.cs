using Chat.Gateway.Edge;
using Chat.Gateway.Shards;
using Chat.Hosting.Admin;
using Chat.Hosting.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chat.Gateway.Hosting;

/// <summary>
/// The gateway process: <c>dotnet run --project src/Gateway -- --gateway-id g1 --listen 0.0.0.0:7443
/// --cert cert.pem --key key.pem --zk 127.0.0.1:2181 --token-keys keys.txt --cluster-key cluster.txt</c>
/// (<c>--tls false</c> for plain TCP). Configuration: appsettings.json, environment (prefix
/// CHAT_GATEWAY_, e.g. CHAT_GATEWAY_Shards__UnreachableGrace), command line (<c>--Section:Key value</c>
/// or the short switches below). A bad value: one line, exit code 2.
/// </summary>
public static class GatewayHost
{
    public const string EnvironmentPrefix = "CHAT_GATEWAY_";

    /// <summary>Short command-line switches and the settings they set.</summary>
    public static IDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--gateway-id"] = "Gateway:Id",
        ["--listen"] = "Gateway:Listen",
        ["--advertise-host"] = "Gateway:AdvertiseHost",
        ["--tls"] = "Gateway:Tls",
        ["--event-loops"] = "Gateway:EventLoops",
        ["--cert"] = "Tls:CertificatePath",
        ["--key"] = "Tls:KeyPath",
        ["--zk"] = "ZooKeeper:ConnectString",
        ["--zk-root"] = "ZooKeeper:Root",
        ["--zk-session-timeout"] = "ZooKeeper:SessionTimeout",
        ["--token-keys"] = "Security:TokenKeyFile",
        ["--cluster-key"] = "Security:ClusterKeyFile",
        ["--admin"] = "Admin:Url",
        ["--connections-per-shard"] = "Shards:ConnectionsPerShard",
        ["--unreachable-grace"] = "Shards:UnreachableGrace",
        ["--auth-timeout"] = "Limits:AuthTimeout",
        ["--max-frame"] = "Limits:MaxFrame",
    };

    /// <summary>Runs the gateway until it stops; returns the exit code (0 after a stop or drain, 2 on bad configuration).</summary>
    public static Task<int> RunAsync(string[] args) => ServerHost.RunAsync(() =>
    {
        var builder = ServerHost.CreateBuilder(args, EnvironmentPrefix, Switches);
        var services = builder.Services;
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<GatewayZooKeeperOptions>(GatewayZooKeeperOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<GatewaySecurityOptions>(GatewaySecurityOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<GatewayLimitsOptions>(GatewayLimitsOptions.SectionName, o => o.Validate());
        services.AddValidatedOptions<ShardPoolOptions>(ShardPoolOptions.SectionName, o => o.Validate());
        services.AddMetrics();
        services.TryAddSingleton<IClientAdmission>(AdmitAll.Instance);
        services.AddEdgeTls();
        services.AddSingleton<GatewayRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayRuntime>());
        services.AddSingleton<IReadinessCheck, GatewayReadiness>();
        return builder.Build();
    });
}
