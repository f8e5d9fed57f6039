using System.Globalization;
using Chat.Cluster.Membership;
using Chat.Cluster.ZooKeeper;

// Usage: ZkSessionHolder <connectString> <root> <shardId> <muxPort> <sessionTimeoutMs>
// Registers a shard and joins the ring, prints "READY <sessionId>", then holds the session until
// killed. Integration tests SIGKILL it to see the ephemeral nodes go after the session timeout.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: ZkSessionHolder <connectString> <root> <shardId> <muxPort> <sessionTimeoutMs>");
    return 2;
}

var options = new ZooKeeperClientOptions
{
    ConnectString = args[0],
    SessionTimeout = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)),
};
await using var client = new ZooKeeperClient(options);
await using var registration = new ShardRegistration(client, new ShardRegistrationOptions
{
    Root = args[1],
    ShardId = args[2],
    Host = "127.0.0.1",
    MuxPort = int.Parse(args[3], CultureInfo.InvariantCulture),
});

var joined = await registration.JoinRingAsync();
if (joined != MembershipResult.Ok)
{
    Console.Error.WriteLine($"join failed: {joined}");
    return 1;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {client.SessionId}"));
await Task.Delay(Timeout.Infinite);
return 0;
