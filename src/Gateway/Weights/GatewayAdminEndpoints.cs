using Chat.Cluster.Membership;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Chat.Gateway.Weights;

/// <summary>
/// Gateway-only admin endpoints, next to the shared ones of Chat.Hosting:
/// <code>
///   GET /admin/weights   every gateway of the cluster (from /chat/gateways), sorted by id:
///                        [{"id","host","port","weight","connections","cpu","draining","adminUrl"}]
/// </code>
/// Any gateway answers for all of them, so a weighted-DNS updater can ask whichever is up.
/// </summary>
public static class GatewayAdminEndpoints
{
    /// <summary>Maps the endpoints; <paramref name="directory"/> gives the current <see cref="GatewayDirectory"/> snapshot.</summary>
    public static WebApplication MapGatewayAdminEndpoints(this WebApplication app, Func<GatewayDirectorySnapshot> directory)
    {
        app.MapGet("/admin/weights", () =>
            Results.Json(ToWeights(directory()), GatewayWeightsJsonContext.Default.GatewayWeightArray));
        return app;
    }

    /// <summary>The response body for a directory snapshot.</summary>
    public static GatewayWeight[] ToWeights(GatewayDirectorySnapshot snapshot) =>
        [.. snapshot.Gateways.Select(g => new GatewayWeight(
            g.Id, g.Data.Host, g.Data.Port, g.Data.Weight, g.Data.Connections, g.Data.Cpu, g.Data.Draining, g.Data.AdminUrl))];
}
