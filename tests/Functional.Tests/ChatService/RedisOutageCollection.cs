namespace Chat.Tests.Functional.ChatService;

/// <summary>Tests that kill and restart the shared Redis: never in parallel with each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisOutageCollection
{
    public const string Name = "Redis outage";
}
