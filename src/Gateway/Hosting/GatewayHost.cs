using System.Diagnostics.Metrics;
using Chat.Cluster.Membership;
using Chat.Gateway.Admission;
using Chat.Gateway.Lifecycle;
using Chat.Gateway.Shards;
using Chat.Gateway.Weights;
using Chat.Hosting.Admin;
using Chat.Hosting.Lifecycle;
using Chat.Hosting.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(30);

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
        ["--max-connections"] = "Limits:MaxConnections",
        ["--handshakes-per-second"] = "Limits:FullHandshakesPerSecond",
        ["--tls-engine"] = "Tls:Engine",
        ["--drain-timeout"] = "Drain:Timeout",
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
        services.AddValidatedOptions<AdmissionOptions>(AdmissionOptions.Section, o => o.Validate());
        services.AddValidatedOptions<WeightOptions>(WeightOptions.Section, o => o.Validate());
        services.AddValidatedOptions<DrainOptions>(DrainOptions.Section, o => o.Validate());

        // The host's stop waits for the drain: give it the drain's bound plus time to close the rest.
        services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) => host.ShutdownTimeout = drain.Value.Timeout + ShutdownMargin);
        services.AddMetrics();
        services.AddEdgeTls();
        services.AddSingleton(sp => new AdmissionController(
            sp.GetRequiredService<IOptions<AdmissionOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<AdmissionController>>()));
        services.AddSingleton<GatewayRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayRuntime>());
        services.AddSingleton<IDrainProcedure, GatewayDrainProcedure>();
        services.AddSingleton<IReadinessCheck, GatewayReadiness>();
        var app = builder.Build();
        app.MapGatewayAdminEndpoints(() => app.Services.GetRequiredService<GatewayRuntime>().Directory?.Current ?? GatewayDirectorySnapshot.Empty);
        return app;
    });
}
