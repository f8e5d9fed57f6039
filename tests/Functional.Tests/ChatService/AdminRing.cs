using System.Net.Http.Json;
using System.Text.Json;
using Chat.Tests.Functional.Support;

namespace Chat.Tests.Functional.ChatService;

/// <summary>The ring as a shard sees it, from its GET /admin/ring.</summary>
internal static class AdminRing
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<long> EpochAsync(ShardProcess shard)
    {
        using var ring = await Http.GetFromJsonAsync<JsonDocument>(new Uri(shard.Admin, "/admin/ring"));
        return ring!.RootElement.GetProperty("epoch").GetInt64();
    }

    /// <summary>Polls (bounded) until the shard's ring has <paramref name="members"/> members; returns its epoch.</summary>
    public static async Task<long> WaitForMembersAsync(ShardProcess shard, int members)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using (var ring = await Http.GetFromJsonAsync<JsonDocument>(new Uri(shard.Admin, "/admin/ring")))
            {
                if (ring!.RootElement.GetProperty("members").GetArrayLength() == members)
                {
                    return ring.RootElement.GetProperty("epoch").GetInt64();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the ring of {shard.ShardId} never had {members} members");
            }

            await Task.Delay(100);
        }
    }

    public static Task<HttpResponseMessage> DrainAsync(ShardProcess shard) => Http.PostAsync(new Uri(shard.Admin, "/admin/drain"), null);
}
