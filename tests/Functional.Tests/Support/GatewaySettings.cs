namespace Chat.Tests.Functional.Support;

/// <summary>
/// The command line of a test gateway: its id, the cluster's ZooKeeper root and keys, the real
/// ZooKeeper, TLS with the test certificate (<paramref name="Certificate"/> null: plain TCP).
/// </summary>
internal sealed record GatewaySettings(string GatewayId, string ZooKeeperRoot, TestKeys Keys, TestCertificate? Certificate)
{
    public IEnumerable<string> Arguments(IEnumerable<string> extra) =>
    [
        "--gateway-id", GatewayId,
        "--listen", "127.0.0.1:0",
        "--zk", TestServers.ZooKeeper,
        "--zk-root", ZooKeeperRoot,
        "--zk-session-timeout", "00:00:02",
        "--token-keys", Keys.TokenKeyFile,
        "--cluster-key", Keys.ClusterKeyFile,
        "--admin", "http://127.0.0.1:0",
        "--event-loops", "2",
        .. Certificate is null ? ["--tls", "false"] : (string[])["--tls", "true", "--cert", Certificate.CertificatePath, "--key", Certificate.KeyPath],
        .. extra,
    ];
}
