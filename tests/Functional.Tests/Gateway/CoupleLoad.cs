using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Chat.Client;
using Chat.Protocol.Packets;
using Chat.Tests.Functional.Client;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.Gateway;

/// <summary>
/// Many couples chatting through gateways with the real SDK over TLS: each couple has two users
/// with two devices each; both users' phones send while every device records what it was handed.
/// <see cref="VerifyAsync"/> then checks the guarantees a ring change or a drain must keep: every
/// send acknowledged, the acknowledged seqs of a couple are 1..N, and every device ends with exactly
/// 1..N, in order, once, with the bodies that were sent.
/// </summary>
internal sealed class CoupleLoad : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly List<LoadCouple> _couples;

    private CoupleLoad(List<LoadCouple> couples) => _couples = couples;

    public int Connections => _couples.Sum(c => c.Devices.Length);

    public IEnumerable<ChatClient> Clients => _couples.SelectMany(c => c.Devices.Select(d => d.Client));

    public long Reconnects => Clients.Sum(c => c.Counters.Reconnects);

    public long Resyncs => Clients.Sum(c => c.Counters.Resyncs);

    public long SendsRetried => Clients.Sum(c => c.Counters.SendsRetried);

    public int Sent => _couples.Sum(c => c.Results.Count);

    /// <summary>
    /// Connects <paramref name="couples"/> couples; device d (0..3) of couple i gets the endpoints
    /// <paramref name="endpoints"/>(i, d). At most <paramref name="parallel"/> connect at once, so the
    /// gateways' handshake budget is not what the test measures.
    /// </summary>
    public static async Task<CoupleLoad> ConnectAsync(GatewayCluster cluster, int couples, Func<int, int, IPEndPoint[]> endpoints, string prefix, int parallel = 32)
    {
        var list = new List<LoadCouple>();
        var load = new CoupleLoad(list);
        for (var i = 0; i < couples; i++)
        {
            var couple = ShardCluster.NewCouple($"{prefix}{i}");
            var devices = new LoadDevice[4];
            for (var d = 0; d < devices.Length; d++)
            {
                var user = d < 2 ? "alice" : "bob";
                var options = cluster.ClientOptions(user, couple, d % 2 == 0 ? "phone" : "desktop", endpoints(i, d)) with
                {
                    Random = new Random((i * 4) + d),
                };
                var client = new ChatClient(options);
                devices[d] = new LoadDevice(client, new MessageLog(client));
            }

            list.Add(new LoadCouple(couple, devices));
        }

        try
        {
            await Parallel.ForEachAsync(
                load.Clients,
                new ParallelOptions { MaxDegreeOfParallelism = parallel },
                async (client, _) => await ClientFactory.ConnectedAsync(client)).WaitAsync(ConnectTimeout);
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }

        return load;
    }

    /// <summary>
    /// Both phones of every couple send <paramref name="perSender"/> messages, one at a time, waiting
    /// for each Ack and then <paramref name="interval"/>. Completes when all sends ended.
    /// </summary>
    public Task SendAsync(int perSender, TimeSpan interval) =>
        Task.WhenAll(_couples.SelectMany(c => new[] { c.SendLoopAsync(0, perSender, interval), c.SendLoopAsync(2, perSender, interval) }));

    /// <summary>Polls (bounded) until at least <paramref name="count"/> sends were acknowledged in total.</summary>
    public async Task WaitForSentAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Sent < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Sent} of {count} sends ended within {timeout}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Checks every couple (see the class summary); waits at most <paramref name="timeout"/> for deliveries.</summary>
    public async Task VerifyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var couple in _couples)
        {
            var results = couple.Results.ToArray();
            Assert.All(results, r => Assert.True(r.Result.Status == SendStatus.Sent, $"{couple.Id}: '{r.Body}' ended {r.Result.Status}"));
            var expected = results.OrderBy(r => r.Result.Seq).ToArray();
            Assert.Equal(Enumerable.Range(1, results.Length).Select(i => (long)i), expected.Select(r => r.Result.Seq));
            foreach (var device in couple.Devices)
            {
                var left = deadline - DateTime.UtcNow;
                await device.Log.WaitForAsync(results.Length, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                var messages = device.Log.Messages;
                Assert.Equal(expected.Select(r => r.Result.Seq), messages.Select(m => m.Seq));
                Assert.Equal(expected.Select(r => r.Body), messages.Select(m => m.BodyText));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (client, _) => await client.DisposeAsync());
    }

    private sealed record LoadDevice(ChatClient Client, MessageLog Log);

    private sealed record LoadCouple(string Id, LoadDevice[] Devices)
    {
        public ConcurrentQueue<(string Body, SendResult Result)> Results { get; } = new();

        public async Task SendLoopAsync(int device, int count, TimeSpan interval)
        {
            var sender = Devices[device].Client;
            for (var i = 1; i <= count; i++)
            {
                var body = $"{Id} d{device} {i}";
                var result = await sender.SendAsync(MessageKind.Text, Encoding.UTF8.GetBytes(body));
                Results.Enqueue((body, result));
                await Task.Delay(interval);
            }
        }
    }
}
