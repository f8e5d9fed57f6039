namespace Chat.Tests.Integration.ZooKeeper;

/// <summary>
/// Tests that kill and restart ZooKeeper servers. They run alone (after the parallel tests) and
/// restart whatever they killed, so every other test finds the servers up.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ZooKeeperOutageCollection
{
    public const string Name = "ZooKeeper outages";
}
