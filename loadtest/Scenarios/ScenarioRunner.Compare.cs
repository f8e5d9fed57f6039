using Chat.LoadTest.Cluster;
using Chat.LoadTest.Reports;

namespace Chat.LoadTest.Scenarios;

internal sealed partial class ScenarioRunner
{
    private Task<RunResult> CompareAsync(LocalCluster cluster, RepoLayout layout, string runDir, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("--compare is not wired yet");
}
