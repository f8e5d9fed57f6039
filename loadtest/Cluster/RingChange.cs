namespace Chat.LoadTest.Cluster;

/// <summary>A ring epoch the harness saw (by its own ZooKeeper watch), at a Unix time in milliseconds.</summary>
internal sealed record RingChange(long UnixMs, long Epoch, string[] Members);
