using Chat.Protocol.Packets;
using Chat.Tests.Functional.Support;
using StackExchange.Redis;

namespace Chat.Tests.Functional.ChatService;

/// <summary>
/// Redis is SIGKILLed and restarted (AOF on, appendfsync always for the test) while a client sends
/// through a real shard, retrying with the same clientMsgId on Unavailable or a dropped connection:
/// afterwards every acknowledged message is in the log exactly once, under the seq of its Ack.
/// </summary>
[Collection(RedisOutageCollection.Name)]
public sealed class RedisRestartTests : IAsyncLifetime
{
    private const int Messages = 120;
    private readonly ShardCluster _cluster = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Every_acknowledged_message_survives_a_redis_restart()
    {
        var redis = TestServers.Server("redis");
        await SetAppendFsyncAsync("always");
        var shard = await _cluster.StartAsync("s1", "--rate", "100000", "--rate-burst", "100000");
        var couple = ShardCluster.NewCouple("c-redis");
        var acked = new Dictionary<string, long>();
        ChatTestClient? client = null;
        try
        {
            for (var i = 0; i < Messages; i++)
            {
                if (i == Messages / 3)
                {
                    await redis.KillAsync();
                    _ = RestartLaterAsync(redis, TimeSpan.FromSeconds(1));
                }

                var id = $"m{i}";
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (!acked.ContainsKey(id))
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{id} never acknowledged");
                    client ??= await TryConnectAsync(shard, couple);
                    if (client is null)
                    {
                        await Task.Delay(200);
                        continue;
                    }

                    try
                    {
                        await client.SendAsync(new Send { ClientMsgId = id, Kind = MessageKind.Text, Body = [(byte)i] });
                        var reply = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
                        if (reply?.Kind == PacketKind.Ack)
                        {
                            acked[reply.Ack!.ClientMsgId!] = reply.Ack.Seq;
                        }
                        else if (reply is null)
                        {
                            await client.DisposeAsync();
                            client = null;
                        }
                        else
                        {
                            Assert.Equal(PacketKind.Error, reply.Kind);
                            Assert.Contains(reply.Error!.Code, new[] { ErrorCode.Unavailable, ErrorCode.Internal });
                            Assert.Equal(id, reply.Error.ClientMsgId);
                            await Task.Delay(reply.Error.RetryAfterMs);
                        }
                    }
                    catch (System.Net.Sockets.SocketException)
                    {
                        await client!.DisposeAsync();
                        client = null;
                    }
                }
            }

            client ??= await TryConnectAsync(shard, couple) ?? throw new InvalidOperationException("cannot reconnect");
            var stored = new List<Message>();
            var more = true;
            while (more)
            {
                await client.SendAsync(new Sync { AfterSeq = stored.Count == 0 ? 0 : stored[^1].Seq, Limit = 100 });
                var page = (await client.NextAsync(PacketKind.SyncResult)).SyncResult!;
                stored.AddRange(page.Messages!);
                more = page.More;
            }

            Assert.Equal(Messages, acked.Count);
            Assert.Equal(stored.Count, stored.Select(m => m.ClientMsgId).Distinct().Count());
            foreach (var (id, seq) in acked)
            {
                Assert.Equal(seq, Assert.Single(stored, m => m.ClientMsgId == id).Seq);
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await redis.StartAsync();
            await SetAppendFsyncAsync("everysec");
        }
    }

    private async Task<ChatTestClient?> TryConnectAsync(ShardProcess shard, string couple)
    {
        try
        {
            return (await ChatTestClient.ConnectAndAuthAsync(shard.Direct, _cluster.Keys.Token("alice", couple), "phone")).Client;
        }
        catch (InvalidOperationException)
        {
            // Auth answered Unavailable while Redis is down: try again.
            return null;
        }
    }

    private static async Task RestartLaterAsync(ServerProcess redis, TimeSpan delay)
    {
        await Task.Delay(delay);
        await redis.StartAsync();
    }

    private static async Task SetAppendFsyncAsync(string mode)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis + ",allowAdmin=true,connectTimeout=5000");
        await admin.GetServer(admin.GetEndPoints()[0]).ConfigSetAsync("appendfsync", mode);
    }
}
