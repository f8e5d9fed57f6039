namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// Tests that run hundreds of TLS clients against their own shard and gateway processes: one at a
/// time, so two of them never compete for the same cores and their waits stay meaningful.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GatewayLoadCollection
{
    public const string Name = "gateway load";
}
