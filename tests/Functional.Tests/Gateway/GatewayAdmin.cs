using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chat.Tests.Functional.Gateway;

/// <summary>The admin HTTP endpoint of a gateway or shard process: readiness, drain, weights, metrics.</summary>
internal static class GatewayAdmin
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<HttpStatusCode> ReadyzAsync(Uri admin)
    {
        using var response = await Http.GetAsync(new Uri(admin, "/readyz"));
        return response.StatusCode;
    }

    public static Task<HttpResponseMessage> DrainAsync(Uri admin) => Http.PostAsync(new Uri(admin, "/admin/drain"), null);

    /// <summary>GET /admin/drain: the phase and the open connections ("remaining").</summary>
    public static async Task<(string Phase, int Remaining)> DrainStatusAsync(Uri admin)
    {
        using var body = await Http.GetFromJsonAsync<JsonDocument>(new Uri(admin, "/admin/drain"));
        return (body!.RootElement.GetProperty("phase").GetString()!, body.RootElement.GetProperty("remaining").GetInt32());
    }

    /// <summary>GET /admin/weights: every gateway.</summary>
    public static async Task<IReadOnlyList<WeightEntry>> WeightsAsync(Uri admin)
    {
        using var body = await Http.GetFromJsonAsync<JsonDocument>(new Uri(admin, "/admin/weights"));
        return [.. body!.RootElement.EnumerateArray().Select(g => new WeightEntry(
            g.GetProperty("id").GetString()!,
            g.TryGetProperty("adminUrl", out var url) ? url.GetString() : null,
            g.GetProperty("weight").GetInt32(),
            g.GetProperty("connections").GetInt32(),
            g.GetProperty("draining").GetBoolean()))];
    }

    /// <summary>Polls /admin/weights (bounded) until <paramref name="condition"/> holds; returns that answer.</summary>
    public static async Task<IReadOnlyList<WeightEntry>> WaitForWeightsAsync(
        Uri admin, Func<IReadOnlyList<WeightEntry>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var weights = await WeightsAsync(admin);
            if (condition(weights))
            {
                return weights;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/admin/weights never matched within {timeout}: {string.Join(", ", weights)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The sum of every series of Prometheus metric <paramref name="name"/> on /metrics whose labels
    /// contain <paramref name="label"/> (e.g. <c>outcome="timed_out"</c>; null: all); 0 when absent.
    /// </summary>
    public static async Task<double> MetricAsync(Uri admin, string name, string? label = null)
    {
        var text = await Http.GetStringAsync(new Uri(admin, "/metrics"));
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{'
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>
    /// Polls (bounded) until metric <paramref name="name"/> (series with <paramref name="label"/>) is
    /// above <paramref name="above"/>; returns the last value read. The gateway counts a closed
    /// connection when its event loop has processed the close, which may be after the peer saw it.
    /// </summary>
    public static async Task<double> WaitForMetricAboveAsync(Uri admin, string name, string? label, double above, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await MetricAsync(admin, name, label);
            if (value > above || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
