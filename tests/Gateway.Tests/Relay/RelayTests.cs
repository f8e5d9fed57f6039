using Chat.Tests.Gateway.Support;

namespace Chat.Tests.Gateway.Relay;

/// <summary>Routing and relaying through the real mux to in-process shards that echo.</summary>
public sealed class RelayTests
{
    [Fact]
    public async Task Frames_reach_the_owner_and_come_back_whole_and_in_order()
    {
        await using var gateway = await RelayHarness.StartAsync();
        var couple = gateway.CoupleOwnedBy("s2");
        await using var client = await gateway.ConnectAsync(couple);

        var random = new Random(1);
        var frames = Enumerable.Range(0, 200).Select(i => TestFrames.Numbered(i, i % 50 == 0 ? 64 * 1024 - 1 : random.Next(4, 2000))).ToArray();
        // Send in uneven pieces so frames cross TCP reads, while reading the echoes.
        var stream = frames.SelectMany(f => f).ToArray();
        var reader = Task.Run(async () =>
        {
            foreach (var expected in frames)
            {
                Assert.Equal(expected, await client.ReadFrameAsync());
            }
        });
        for (var position = 0; position < stream.Length;)
        {
            var size = Math.Min(random.Next(1, 9000), stream.Length - position);
            await client.SendAsync(stream[position..(position + size)]);
            position += size;
        }

        await reader.Within();

        var accepted = Assert.Single(gateway.Shards[1].Streams);
        Assert.Equal(couple, accepted.OpenRequest.CoupleId);
        Assert.False(accepted.OpenRequest.Migrated);
        Assert.Empty(gateway.Shards[0].Streams);
    }

    [Fact]
    public async Task Frames_sent_right_behind_Auth_are_held_until_the_stream_is_open()
    {
        await using var gateway = await RelayHarness.StartAsync();
        var couple = gateway.CoupleOwnedBy("s1");
        await using var client = await TestClient.ConnectAsync(gateway.EndPoint);
        var auth = TestFrames.Auth(gateway.Signer.Issue("u1", couple, TimeSpan.FromHours(1)));

        await client.SendAsync([.. auth, .. TestFrames.Numbered(1, 10), .. TestFrames.Numbered(2, 10)]);

        Assert.Equal(auth, await client.ReadFrameAsync());
        Assert.Equal(1, TestFrames.NumberOf((await client.ReadFrameAsync())!));
        Assert.Equal(2, TestFrames.NumberOf((await client.ReadFrameAsync())!));
    }

    [Fact]
    public async Task Streams_spread_over_the_connections_of_a_shard_and_close_with_their_clients()
    {
        await using var gateway = await RelayHarness.StartAsync(shardCount: 1);
        var clients = new List<TestClient>();
        for (var i = 0; i < 6; i++)
        {
            clients.Add(await gateway.ConnectAsync($"c{i}"));
        }

        Assert.Equal(2, gateway.Pool.LiveConnections("s1"));
        Assert.Equal(6, gateway.Metrics.Streams);
        Assert.Equal(6, gateway.Clients.AuthenticatedCount);

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await Eventually.TrueAsync(() => gateway.Shards[0].Streams.All(s => !s.Open), "shard streams closed after their clients left");
        await Eventually.TrueAsync(() => gateway.Clients.Count == 0 && gateway.Metrics.Streams == 0, "registry and stream gauge back to 0");
    }
}
