namespace Chat.LoadTest.Cluster;

/// <summary>A ring epoch the harness saw (by its own ZooKeeper watch), at a time since the run started.</summary>
internal sealed record RingChange(double AtSeconds, long Epoch, string[] Members);
