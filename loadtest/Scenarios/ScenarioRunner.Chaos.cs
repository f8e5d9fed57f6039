using System.Globalization;
using Chat.LoadTest.Cluster;

namespace Chat.LoadTest.Scenarios;

/// <summary>The mid-run action of each chaos scenario.</summary>
internal sealed partial class ScenarioRunner
{
    private ChaosAction? ChaosFor(ScenarioKind scenario, LocalCluster cluster) => scenario switch
    {
        ScenarioKind.ScaleOut => async (note, ct) =>
        {
            note("adding a shard");
            var (node, error) = await cluster.AddShardAsync(ct);
            if (node is not null)
            {
                note($"shard {node.Id} in the ring");
            }

            return error;
        },
        ScenarioKind.ScaleIn => async (note, ct) =>
        {
            var shard = cluster.Shards[0];
            note($"drain shard {shard.Id}");
            if (!await cluster.DrainShardAsync(shard, TimeSpan.FromSeconds(60), ct))
            {
                return $"shard {shard.Id} did not finish its drain within 60 s";
            }

            note($"shard {shard.Id} exited");
            return null;
        },
        ScenarioKind.KillShard => async (note, _) =>
        {
            var shard = cluster.Shards[0];
            note($"SIGKILL shard {shard.Id}");
            await shard.Process.KillAsync();
            return null;
        },
        ScenarioKind.DrainGateway => async (note, ct) =>
        {
            var gateway = cluster.Gateways[^1];
            note($"drain gateway {gateway.Id}");
            if (!await cluster.DrainGatewayAsync(gateway, TimeSpan.FromSeconds(90), ct))
            {
                return $"gateway {gateway.Id} did not finish its drain within 90 s";
            }

            note($"gateway {gateway.Id} exited");
            return null;
        },
        ScenarioKind.KillZkLeader => async (note, ct) =>
        {
            var servers = new ExternalServers(options.ServersDir!);
            if (await servers.FindZooKeeperLeaderAsync(options.ZooKeeper, ct) is not { } leader)
            {
                return $"no ZooKeeper leader found among {options.ZooKeeper} in {options.ServersDir} (an ensemble is needed)";
            }

            var port = leader.Port.ToString(CultureInfo.InvariantCulture);
            var (killed, killOutput) = await ExternalServers.RunScriptAsync(leader.Folder, "kill", ct);
            if (!killed)
            {
                return $"could not kill the ZooKeeper leader on {port}: {killOutput}";
            }

            note($"SIGKILL ZooKeeper leader :{port}");
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var (started, startOutput) = await ExternalServers.RunScriptAsync(leader.Folder, "start", ct);
            note($"ZooKeeper :{port} started again");
            return started ? null : $"ZooKeeper on {port} did not start again: {startOutput}";
        },
        ScenarioKind.RestartRedis => async (note, ct) =>
        {
            var ports = ExternalServers.Ports(options.Redis);
            if (ports.Count == 0 || new ExternalServers(options.ServersDir!).FolderOf(ports[0]) is not { } folder)
            {
                return $"no server folder for Redis {options.Redis} in {options.ServersDir}";
            }

            var (killed, killOutput) = await ExternalServers.RunScriptAsync(folder, "kill", ct);
            if (!killed)
            {
                return "could not kill Redis: " + killOutput;
            }

            note("SIGKILL Redis");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var (started, startOutput) = await ExternalServers.RunScriptAsync(folder, "start", ct);
            note("Redis started again (AOF reloaded)");
            return started ? null : "Redis did not start again: " + startOutput;
        },
        _ => null,
    };
}
