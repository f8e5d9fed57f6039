namespace Chat.Tests.Functional.Support;

/// <summary>The command line of a test shard: its id, the test class's ZooKeeper root, the real servers, the test keys.</summary>
internal sealed record ShardSettings(string ShardId, string ZooKeeperRoot, TestKeys Keys, string Redis)
{
    public IEnumerable<string> Arguments(IEnumerable<string> extra) =>
    [
        "--shard-id", ShardId,
        "--zk", TestServers.ZooKeeper,
        "--zk-root", ZooKeeperRoot,
        "--zk-session-timeout", "00:00:02",
        "--redis", Redis,
        "--token-keys", Keys.TokenKeyFile,
        "--cluster-key", Keys.ClusterKeyFile,
        "--direct-listen", "127.0.0.1:0",
        "--mux-listen", "127.0.0.1:0",
        "--admin", "http://127.0.0.1:0",
        "--event-loops", "2",
        .. extra,
    ];
}
