namespace Chat.LoadTest.Scenarios;

/// <summary>Command-line names of the scenarios.</summary>
internal static class ScenarioNames
{
    public static string Of(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Chat => "chat",
        ScenarioKind.Idle => "idle",
        ScenarioKind.Storm => "storm",
        ScenarioKind.ScaleOut => "scale-out",
        ScenarioKind.ScaleIn => "scale-in",
        ScenarioKind.KillShard => "kill-shard",
        ScenarioKind.DrainGateway => "drain-gateway",
        ScenarioKind.KillZkLeader => "kill-zk-leader",
        ScenarioKind.RestartRedis => "restart-redis",
        _ => kind.ToString(),
    };

    public static IEnumerable<ScenarioKind> All => Enum.GetValues<ScenarioKind>();

    /// <summary>Ring changes an operator plans: the goal is zero client reconnects.</summary>
    public static bool IsPlannedRingChange(ScenarioKind kind) => kind is ScenarioKind.ScaleOut or ScenarioKind.ScaleIn;
}
