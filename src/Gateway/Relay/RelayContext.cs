using Chat.Gateway.Diagnostics;
using Chat.Gateway.Edge;
using Chat.Gateway.Hosting;
using Chat.Gateway.Routing;
using Chat.Gateway.Shards;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Relay;

/// <summary>What every client session of a gateway shares.</summary>
internal sealed class RelayContext(
    IRingSource ring,
    IShardStreamOpener shards,
    GatewayLimitsOptions limits,
    ShardPoolOptions pool,
    ClientRegistry registry,
    GatewayMetrics metrics,
    ILogger logger,
    TimeProvider time)
{
    public IRingSource Ring { get; } = ring;

    public IShardStreamOpener Shards { get; } = shards;

    public GatewayLimitsOptions Limits { get; } = limits;

    public ShardPoolOptions Pool { get; } = pool;

    public ClientRegistry Registry { get; } = registry;

    public GatewayMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    public TimeProvider Time { get; } = time;
}
