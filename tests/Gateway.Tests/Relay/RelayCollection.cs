namespace Chat.Tests.Gateway.Relay;

/// <summary>
/// The relay tests that push a mux connection hard run one at a time: run together on two cores
/// they starved each other into timeouts (and surfaced the back-pressure bug FlowControlTests names).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RelayCollection
{
    public const string Name = "relay under load";
}
