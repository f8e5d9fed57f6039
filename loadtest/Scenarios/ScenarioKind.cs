namespace Chat.LoadTest.Scenarios;

/// <summary>The scenarios of the harness (docs/loadtest.md).</summary>
internal enum ScenarioKind
{
    Chat,
    Idle,
    Storm,
    ScaleOut,
    ScaleIn,
    KillShard,
    DrainGateway,
    KillZkLeader,
    RestartRedis,
}
