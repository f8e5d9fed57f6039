using System.Text;
using Chat.Hosting.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Chat.Hosting.Admin;

/// <summary>
/// The admin HTTP surface every server process has:
/// <code>
///   GET  /healthz       200 while the process runs (liveness)
///   GET  /readyz        200 when every readiness check passes and no drain runs, else 503 (body: one line per check)
///   GET  /metrics       Prometheus text format (prometheus-net registry plus System.Diagnostics.Metrics meters)
///   GET  /admin/drain   drain status as JSON (phase serving|draining|drained, remaining, detail)
///   POST /admin/drain   start draining (idempotent); 202 with the status
/// </code>
/// </summary>
public static class AdminEndpoints
{
    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", ReadyAsync);
        app.MapGet("/metrics", MetricsAsync);
        app.MapGet("/admin/drain", (DrainController drain) => Results.Json(drain.Status()));
        app.MapPost("/admin/drain", (DrainController drain) =>
        {
            drain.RequestDrain("admin request");
            return Results.Json(drain.Status(), statusCode: StatusCodes.Status202Accepted);
        });
        return app;
    }

    private static async Task<IResult> ReadyAsync(IEnumerable<IReadinessCheck> checks, DrainController drain, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        var ready = true;
        if (drain.Phase != DrainPhase.Serving)
        {
            // A draining process must leave load-balancer rotation even though it still works.
            ready = false;
            body.Append("drain: ").Append(drain.Phase.ToString().ToLowerInvariant()).Append('\n');
        }

        foreach (var check in checks)
        {
            ReadinessResult result;
            try
            {
                result = await check.CheckAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = ReadinessResult.NotReady(ex.GetType().Name + ": " + ex.Message);
            }

            ready &= result.Ready;
            body.Append(check.Name).Append(": ").Append(result.Ready ? "ok" : "NOT READY").Append(" (").Append(result.Detail).Append(")\n");
        }

        return Results.Text(body.ToString(), statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}
