using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Chat.ChatService.Storage;
using StackExchange.Redis;

namespace Chat.Tests.Integration.Redis;

/// <summary>The Redis store against real servers: each test runs on the single Redis and on the 3-master cluster.</summary>
public sealed class RedisChatStoreTests
{
    private const long Time = 1_700_000_000_000;

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Appends_get_consecutive_seqs_and_read_back_in_order(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        var couple = RedisTarget.NewCoupleId();

        for (var i = 1; i <= 5; i++)
        {
            var result = await store.AppendAsync(couple, $"m{i}", i % 2 == 0 ? "bob" : "alice", i == 3 ? null : "phone", i, Body(i), Time + i).Bounded();
            Assert.Equal(new AppendResult(AppendStatus.Appended, i, Time + i), result);
        }

        var page = await store.ReadAsync(couple, 0, 100).Bounded();
        Assert.Equal(StoreStatus.Ok, page.Status);
        Assert.False(page.More);
        Assert.Equal(5, page.LatestSeq);
        Assert.Equal([1L, 2, 3, 4, 5], page.Messages.Select(m => m.Seq));
        var third = page.Messages[2];
        Assert.Equal(("m3", "alice", (string?)null, 3, Time + 3), (third.ClientMsgId, third.SenderUserId, third.SenderDeviceId, third.Kind, third.ServerTimeMs));
        Assert.Equal(Body(3), third.Body.ToArray());
        Assert.Equal("phone", page.Messages[1].SenderDeviceId);
        Assert.Equal(new SeqResult(StoreStatus.Ok, 5), await store.LatestSeqAsync(couple).Bounded());
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task A_retry_gets_the_original_seq_and_time_and_no_second_copy(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        var couple = RedisTarget.NewCoupleId();

        var first = await store.AppendAsync(couple, "same", "alice", "phone", 1, Body(1), Time).Bounded();
        await store.AppendAsync(couple, "other", "alice", "phone", 1, Body(2), Time + 1).Bounded();
        var retry = await store.AppendAsync(couple, "same", "alice", "laptop", 1, Body(3), Time + 99).Bounded();

        Assert.Equal(new AppendResult(AppendStatus.Appended, 1, Time), first);
        Assert.Equal(new AppendResult(AppendStatus.Duplicate, 1, Time), retry);
        Assert.True(retry.IsStored);
        var all = await store.ReadAllAsync(couple);
        Assert.Equal(["same", "other"], all.Select(m => m.ClientMsgId));
        Assert.Equal(Body(1), all[0].Body.ToArray());
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task The_same_clientMsgId_from_the_partner_is_a_different_message(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        var couple = RedisTarget.NewCoupleId();

        var alice = await store.AppendAsync(couple, "m1", "alice", null, 1, Body(1), Time).Bounded();
        var bob = await store.AppendAsync(couple, "m1", "bob", null, 1, Body(2), Time).Bounded();

        Assert.Equal((AppendStatus.Appended, 1L), (alice.Status, alice.Seq));
        Assert.Equal((AppendStatus.Appended, 2L), (bob.Status, bob.Seq));
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Concurrent_appends_to_one_couple_give_a_gapless_sequence(string target)
    {
        const int Writers = 40;
        const int PerWriter = 25;
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        var couple = RedisTarget.NewCoupleId();

        // Every writer also retries each message once, concurrently with everyone else's first sends.
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<(string Id, AppendResult First, AppendResult Retry)>();
            for (var i = 0; i < PerWriter; i++)
            {
                var id = $"w{w}-{i}";
                var first = await store.AppendAsync(couple, id, $"user{w % 2}", $"dev{w}", 0, Body(i), Time + i);
                var retry = await store.AppendAsync(couple, id, $"user{w % 2}", $"dev{w}", 0, Body(i), Time + i);
                mine.Add((id, first, retry));
            }

            return mine;
        }))).Bounded();

        var flat = results.SelectMany(r => r).ToList();
        Assert.All(flat, r => Assert.Equal(AppendStatus.Appended, r.First.Status));
        Assert.All(flat, r => Assert.Equal((AppendStatus.Duplicate, r.First.Seq), (r.Retry.Status, r.Retry.Seq)));
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i), flat.Select(r => r.First.Seq).Order());

        var all = await store.ReadAllAsync(couple);
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i), all.Select(m => m.Seq));
        var bySeq = flat.ToDictionary(r => r.First.Seq, r => r.Id);
        Assert.All(all, m => Assert.Equal(bySeq[m.Seq], m.ClientMsgId));
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Reads_page_by_seq_with_a_more_flag(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target, o => o.MaxPageSize = 4);
        var couple = RedisTarget.NewCoupleId();
        for (var i = 1; i <= 10; i++)
        {
            await store.AppendAsync(couple, $"m{i}", "alice", null, 0, Body(i), Time).Bounded();
        }

        var first = await store.ReadAsync(couple, 0, 3).Bounded();
        var middle = await store.ReadAsync(couple, 3, 100).Bounded();
        var last = await store.ReadAsync(couple, 7, 3).Bounded();
        var beyond = await store.ReadAsync(couple, 10, 3).Bounded();

        Assert.Equal(("1 2 3", true, 10L), (Seqs(first), first.More, first.LatestSeq));
        Assert.Equal(("4 5 6 7", true), (Seqs(middle), middle.More));
        Assert.Equal(("8 9 10", false), (Seqs(last), last.More));
        Assert.Equal((StoreStatus.Ok, 0, false, 10L), (beyond.Status, beyond.Messages.Count, beyond.More, beyond.LatestSeq));
        var empty = await store.ReadAsync(RedisTarget.NewCoupleId(), 0, 10).Bounded();
        Assert.Equal((StoreStatus.Ok, 0, false, 0L), (empty.Status, empty.Messages.Count, empty.More, empty.LatestSeq));
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task A_page_stops_at_the_byte_budget_but_returns_at_least_one_message(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target, o => o.MaxPageBytes = 4096);
        var couple = RedisTarget.NewCoupleId();
        var big = new byte[1500];
        for (var i = 1; i <= 4; i++)
        {
            await store.AppendAsync(couple, $"m{i}", "alice", null, 0, big, Time).Bounded();
        }

        await store.AppendAsync(couple, "huge", "alice", null, 0, new byte[10_000], Time).Bounded();

        var page = await store.ReadAsync(couple, 0, 100).Bounded();
        var huge = await store.ReadAsync(couple, 4, 100).Bounded();

        Assert.Equal(("1 2", true), (Seqs(page), page.More));
        Assert.Equal(("5", false), (Seqs(huge), huge.More));
        Assert.Equal(10_000, huge.Messages[0].Body.Length);
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Read_marks_only_move_forward_and_never_past_the_latest_seq(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        var couple = RedisTarget.NewCoupleId();
        for (var i = 1; i <= 5; i++)
        {
            await store.AppendAsync(couple, $"m{i}", "alice", null, 0, Body(i), Time).Bounded();
        }

        Assert.Equal(new SeqResult(StoreStatus.Ok, 3), await store.SetReadMarkAsync(couple, "bob", 3).Bounded());
        Assert.Equal(new SeqResult(StoreStatus.Ok, 3), await store.SetReadMarkAsync(couple, "bob", 2).Bounded());
        Assert.Equal(new SeqResult(StoreStatus.Ok, 5), await store.SetReadMarkAsync(couple, "bob", 99).Bounded());
        Assert.Equal(new SeqResult(StoreStatus.Ok, 1), await store.SetReadMarkAsync(couple, "alice", 1).Bounded());
        Assert.Equal(new SeqResult(StoreStatus.Ok, 0), await store.SetReadMarkAsync(RedisTarget.NewCoupleId(), "alice", 7).Bounded());

        var marks = await store.GetReadMarksAsync(couple).Bounded();
        Assert.Equal(StoreStatus.Ok, marks.Status);
        Assert.Equal(new Dictionary<string, long> { ["alice"] = 1, ["bob"] = 5 }, marks.Marks);
        var none = await store.GetReadMarksAsync(RedisTarget.NewCoupleId()).Bounded();
        Assert.Equal((StoreStatus.Ok, 0), (none.Status, none.Marks.Count));
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Retention_keeps_the_newest_messages_and_seqs_keep_counting(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target, o => o.RetentionCount = 50);
        var couple = RedisTarget.NewCoupleId();
        for (var i = 1; i <= 400; i++)
        {
            await store.AppendAsync(couple, $"m{i}", "alice", null, 0, Body(i), Time).Bounded();
        }

        var all = await store.ReadAllAsync(couple);

        // Trimming is by whole stream nodes (100 entries by default): at least 50 kept, not all 400.
        Assert.InRange(all.Count, 50, 150);
        Assert.Equal(400, all[^1].Seq);
        Assert.Equal(Enumerable.Range(401 - all.Count, all.Count).Select(i => (long)i), all.Select(m => m.Seq));
        var retry = await store.AppendAsync(couple, "m1", "alice", null, 0, Body(1), Time).Bounded();
        Assert.Equal((AppendStatus.Duplicate, 1L), (retry.Status, retry.Seq));
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Bad_arguments_are_refused_and_write_nothing(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target, o => o.MaxBodyBytes = 100);
        var couple = RedisTarget.NewCoupleId();

        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync("a}b", "m", "u", null, 0, Body(1), Time).Bounded()).Status);
        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync(couple, "", "u", null, 0, Body(1), Time).Bounded()).Status);
        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync(couple, "m", "u:x", null, 0, Body(1), Time).Bounded()).Status);
        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync(couple, "m", "u", "dev ice", 0, Body(1), Time).Bounded()).Status);
        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync(couple, "m", "u", null, 0, new byte[101], Time).Bounded()).Status);
        Assert.Equal(AppendStatus.Invalid, (await store.AppendAsync(couple, "m", "u", null, 0, Body(1), -1).Bounded()).Status);
        Assert.Equal(StoreStatus.Invalid, (await store.ReadAsync(couple, -1, 10).Bounded()).Status);
        Assert.Equal(StoreStatus.Invalid, (await store.ReadAsync(couple, 0, 0).Bounded()).Status);
        Assert.Equal(StoreStatus.Invalid, (await store.SetReadMarkAsync(couple, "u", -5).Bounded()).Status);
        Assert.Equal(StoreStatus.Invalid, (await store.LatestSeqAsync("").Bounded()).Status);
        Assert.Equal(StoreStatus.Invalid, (await store.GetReadMarksAsync("{x").Bounded()).Status);

        Assert.Equal(new SeqResult(StoreStatus.Ok, 0), await store.LatestSeqAsync(couple).Bounded());
        Assert.Equal(AppendStatus.Appended, (await store.AppendAsync(couple, "m", "u", null, 0, new byte[100], Time).Bounded()).Status);
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task The_store_recovers_when_Redis_has_forgotten_its_scripts(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        await using var admin = await RedisTarget.ConnectAdminAsync(target);
        var couple = RedisTarget.NewCoupleId();
        await store.AppendAsync(couple, "before", "alice", null, 0, Body(1), Time).Bounded();
        await store.SetReadMarkAsync(couple, "bob", 1).Bounded();

        // What a restarted Redis looks like to EVALSHA: an empty script cache on every node.
        foreach (var server in admin.GetServers())
        {
            await server.ScriptFlushAsync().Bounded();
        }

        var after = await store.AppendAsync(couple, "after", "alice", null, 0, Body(2), Time).Bounded();
        var retry = await store.AppendAsync(couple, "before", "alice", null, 0, Body(1), Time).Bounded();
        foreach (var server in admin.GetServers())
        {
            await server.ScriptFlushAsync().Bounded();
        }

        var page = await store.ReadAsync(couple, 0, 10).Bounded();
        foreach (var server in admin.GetServers())
        {
            await server.ScriptFlushAsync().Bounded();
        }

        var mark = await store.SetReadMarkAsync(couple, "bob", 2).Bounded();

        Assert.Equal((AppendStatus.Appended, 2L), (after.Status, after.Seq));
        Assert.Equal((AppendStatus.Duplicate, 1L), (retry.Status, retry.Seq));
        Assert.Equal(["before", "after"], page.Messages.Select(m => m.ClientMsgId));
        Assert.Equal(new SeqResult(StoreStatus.Ok, 2), mark);
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task Dedup_keys_expire_after_the_configured_ttl(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target, o => o.DedupTtl = TimeSpan.FromHours(2));
        await using var admin = await RedisTarget.ConnectAdminAsync(target);
        var couple = RedisTarget.NewCoupleId();

        await store.AppendAsync(couple, "m1", "alice", null, 0, Body(1), Time).Bounded();

        var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Dedup(couple, "alice", "m1")).Bounded();
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
        Assert.Null(await admin.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Seq(couple)).Bounded());
    }

    [Theory]
    [InlineData(RedisTarget.Single)]
    [InlineData(RedisTarget.Cluster)]
    public async Task An_undecodable_record_fails_the_read_instead_of_being_skipped(string target)
    {
        await using var store = await RedisTarget.ConnectStoreAsync(target);
        await using var admin = await RedisTarget.ConnectAdminAsync(target);
        var couple = RedisTarget.NewCoupleId();
        await store.AppendAsync(couple, "m1", "alice", null, 0, Body(1), Time).Bounded();

        await admin.GetDatabase().StreamAddAsync(RedisKeys.Messages(couple), "m", new byte[] { 9, 9, 9 }, "2-0").Bounded();

        Assert.Equal(StoreStatus.Failed, (await store.ReadAsync(couple, 0, 10).Bounded()).Status);
        Assert.Equal(StoreStatus.Ok, (await store.ReadAsync(couple, 2, 10).Bounded()).Status);

        // The stream now holds seq 2 while the counter says 1: XADD refuses the next id, nothing is written.
        var next = await store.AppendAsync(couple, "m2", "alice", null, 0, Body(2), Time).Bounded();
        Assert.Equal(AppendStatus.Failed, next.Status);
        Assert.Equal(new SeqResult(StoreStatus.Ok, 1), await store.LatestSeqAsync(couple).Bounded());
        Assert.False(await admin.GetDatabase().KeyExistsAsync(RedisKeys.Dedup(couple, "alice", "m2")).Bounded());
    }

    [Fact]
    public async Task Couples_spread_over_the_cluster_and_each_keeps_its_keys_in_one_slot()
    {
        await using var store = await RedisTarget.ConnectStoreAsync(RedisTarget.Cluster);
        await using var admin = await RedisTarget.ConnectAdminAsync(RedisTarget.Cluster);
        var anyServer = admin.GetServers()[0];
        var owners = new HashSet<string>();

        for (var c = 0; c < 60; c++)
        {
            var couple = RedisTarget.NewCoupleId();
            await store.AppendAsync(couple, "m1", "alice", null, 0, Body(c), Time).Bounded();
            await store.SetReadMarkAsync(couple, "bob", 1).Bounded();
            RedisKey[] keys = [RedisKeys.Seq(couple), RedisKeys.Messages(couple), RedisKeys.Dedup(couple, "alice", "m1"), RedisKeys.ReadMarks(couple)];

            var slots = new HashSet<long>();
            foreach (var key in keys)
            {
                slots.Add((long)await anyServer.ExecuteAsync("CLUSTER", "KEYSLOT", key.ToString()).Bounded());
            }

            var slot = Assert.Single(slots);
            var owner = anyServer.ClusterConfiguration!.GetBySlot((int)slot)!.EndPoint!;
            owners.Add(owner.ToString()!);

            // All four keys really are on that one node.
            var onOwner = admin.GetServer(owner).Keys(pattern: $"{{c:{couple}}}:*").Select(k => k.ToString()).Order();
            Assert.Equal(keys.Select(k => k.ToString()).Order(), onOwner);
        }

        Assert.Equal(3, owners.Count);
    }

    [Fact]
    public async Task Every_call_records_its_latency_on_the_storage_meter()
    {
        var seen = new ConcurrentBag<(string Operation, string Outcome, double Ms)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Chat.ChatService.Storage" && instrument.Name == "chat.storage.redis.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? operation = null, outcome = null;
            foreach (var tag in tags)
            {
                operation = tag.Key == "operation" ? tag.Value as string : operation;
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
            }

            seen.Add((operation ?? "?", outcome ?? "?", value));
        });
        listener.Start();
        await using var store = await RedisTarget.ConnectStoreAsync(RedisTarget.Single);
        var couple = RedisTarget.NewCoupleId();

        await store.AppendAsync(couple, "m1", "alice", null, 0, Body(1), Time).Bounded();
        await store.ReadAsync(couple, 0, 10).Bounded();

        // Other tests' stores publish on the same meter name at the same time: look for ours among them.
        Assert.Contains(seen, m => m is { Operation: "append", Outcome: "ok", Ms: > 0 });
        Assert.Contains(seen, m => m is { Operation: "read", Outcome: "ok", Ms: > 0 });
    }

    private static string Seqs(MessagePage page) => string.Join(' ', page.Messages.Select(m => m.Seq));

    private static byte[] Body(int i) => Encoding.UTF8.GetBytes($"body {i}");
}
