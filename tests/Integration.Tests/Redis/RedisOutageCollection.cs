namespace Chat.Tests.Integration.Redis;

/// <summary>
/// Tests that kill and restart the shared Redis servers. Not parallel with anything: xunit runs
/// collections with parallelization disabled after all parallel ones, one test at a time.
/// Each test starts what it killed again in a finally block.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisOutageCollection
{
    public const string Name = "Redis outages";
}
