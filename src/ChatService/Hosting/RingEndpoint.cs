using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Chat.ChatService.Hosting;

/// <summary>GET /admin/ring: the ring in force as this shard sees it, its listen ports and load.</summary>
internal static class RingEndpoint
{
    public static WebApplication MapRingEndpoint(this WebApplication app)
    {
        app.MapGet("/admin/ring", (ShardRuntime runtime) =>
        {
            var ring = runtime.Ring;
            var shares = ring.HashSpaceShares();
            return Results.Json(new RingView(
                runtime.ShardId,
                ring.Epoch,
                ring.Find(runtime.ShardId) is not null,
                runtime.DirectEndPoint?.ToString(),
                runtime.MuxEndPoint?.ToString(),
                runtime.Couples,
                runtime.Metrics.Connections,
                [.. ring.Members.Select(m => new RingMemberView(m.ShardId, m.Host, m.MuxPort, m.Weight, Math.Round(shares.GetValueOrDefault(m.ShardId), 4)))]));
        });
        return app;
    }

    internal sealed record RingView(string ShardId, long Epoch, bool InRing, string? Direct, string? Mux, int Couples, long Connections, RingMemberView[] Members);

    internal sealed record RingMemberView(string ShardId, string Host, int MuxPort, int Weight, double Share);
}
